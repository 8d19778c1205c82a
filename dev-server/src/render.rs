//! Records → FAPI wire types (the library's `core::wire`), so both sides share one format.

use chrono::{DateTime, Utc};
use clerk_core::wire::{
    Client, EmailAddress, NextAction, Organization, OrganizationInvitation, OrganizationMembership,
    PhoneNumber, PublicOrganizationData, PublicUserData, Session, SessionTask, SignIn,
    SignInStatus, SignInUserData, SignUp, SignUpStatus, SignUpVerifications, Strategy, Token, User,
    Verification, VerificationStatus,
};

use crate::error::ApiResult;
use crate::policy::{first_factors, second_factors, sign_up_fields, supported_identifiers};
use crate::store::{
    ClientRec, IdentRec, InvitationRec, InvitationStatus, MembershipRec, OrgRec, SessionRec,
    SignInRec, SignUpRec, Tx, UserRec, VerifRec,
};
use crate::AppState;

/// Milliseconds → time.
pub fn ts(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// What rendering needs besides the records.
pub struct View<'a> {
    /// Server state.
    pub state: &'a AppState,
    /// Now (ms).
    pub now: i64,
    /// The request's origin (`azp` of embedded tokens).
    pub origin: Option<&'a str>,
    /// The instance of the request's client (`iss` of embedded tokens).
    pub instance: crate::Instance,
}

/// The avatar URL of a user or organization without an uploaded image.
fn image_url(id: &str) -> String {
    format!("https://img.clerk.com/default/{id}")
}

/// A verification.
pub fn verification(v: &VerifRec) -> Verification {
    Verification {
        status: v.status.clone(),
        strategy: v.strategy.clone(),
        attempts: Some(v.attempts),
        expire_at: (v.expire_at > 0).then(|| ts(v.expire_at)),
        nonce: None,
        message: None,
        external_verification_redirect_url: None,
        channel: None,
        error: None,
        verified_at_client: None,
        next_action: None,
        supported_strategies: None,
    }
}

fn verified_ident(strategy: Strategy, created: i64) -> Verification {
    verification(&VerifRec {
        status: VerificationStatus::Verified,
        strategy,
        attempts: 0,
        expire_at: created,
        code: None,
        target_id: None,
    })
}

fn email(e: &IdentRec) -> EmailAddress {
    EmailAddress {
        id: e.id.clone(),
        email_address: e.value.clone(),
        reserved: false,
        verification: e
            .verified
            .then(|| verified_ident(non_empty(&e.strategy, Strategy::EmailCode), e.created_at)),
        linked_to: vec![],
        matches_sso_connection: Some(false),
        created_at: Some(ts(e.created_at)),
        updated_at: Some(ts(e.created_at)),
    }
}

fn phone(p: &IdentRec) -> PhoneNumber {
    PhoneNumber {
        id: p.id.clone(),
        phone_number: p.value.clone(),
        reserved_for_second_factor: p.second_factor,
        default_second_factor: p.second_factor,
        reserved: false,
        verification: p
            .verified
            .then(|| verified_ident(non_empty(&p.strategy, Strategy::PhoneCode), p.created_at)),
        linked_to: vec![],
        backup_codes: None,
        created_at: Some(ts(p.created_at)),
        updated_at: Some(ts(p.created_at)),
    }
}

/// The recorded strategy, or `default` when none was recorded.
fn non_empty(s: &Strategy, default: Strategy) -> Strategy {
    if s.as_str().is_empty() {
        default
    } else {
        s.clone()
    }
}

/// An organization.
pub fn organization(tx: &Tx, org: &OrgRec) -> ApiResult<Organization> {
    let members = tx.memberships_of_org(&org.id)?.len() as i64;
    let pending = tx
        .invitations_of_org(&org.id)?
        .iter()
        .filter(|i| i.status == InvitationStatus::Pending)
        .count() as i64;
    Ok(Organization {
        id: org.id.clone(),
        name: org.name.clone(),
        slug: org.slug.clone(),
        image_url: image_url(&org.id),
        has_image: false,
        members_count: Some(members),
        pending_invitations_count: Some(pending),
        max_allowed_memberships: org.max_allowed_memberships,
        admin_delete_enabled: true,
        self_serve_sso_enabled: None,
        public_metadata: org.public_metadata.clone(),
        created_at: ts(org.created_at),
        updated_at: ts(org.updated_at),
    })
}

/// A membership, with its organization and (optionally) the member's public data.
pub fn membership(
    tx: &Tx,
    state: &AppState,
    m: &MembershipRec,
    with_user: bool,
) -> ApiResult<Option<OrganizationMembership>> {
    let Some(org) = tx.get::<OrgRec>(&m.org_id)? else {
        return Ok(None);
    };
    let role = state.settings.role(&m.role);
    let public_user_data = if with_user {
        tx.get::<UserRec>(&m.user_id)?.map(|u| public_user_data(&u))
    } else {
        None
    };
    Ok(Some(OrganizationMembership {
        id: m.id.clone(),
        organization: organization(tx, &org)?,
        role: m.role.clone(),
        role_name: role
            .map(|r| r.name.clone())
            .unwrap_or_else(|| m.role.clone()),
        permissions: role.map(|r| r.permissions.clone()).unwrap_or_default(),
        public_metadata: Default::default(),
        public_user_data,
        created_at: ts(m.created_at),
        updated_at: ts(m.updated_at),
    }))
}

/// An invitation as the API shows it.
pub fn invitation(
    tx: &Tx,
    state: &AppState,
    i: &InvitationRec,
    public: bool,
) -> ApiResult<OrganizationInvitation> {
    let org = tx.get::<OrgRec>(&i.org_id)?;
    Ok(OrganizationInvitation {
        id: i.id.clone(),
        email_address: i.email.clone(),
        role: i.role.clone(),
        role_name: state
            .settings
            .role(&i.role)
            .map(|r| r.name.clone())
            .unwrap_or_default(),
        organization_id: i.org_id.clone(),
        public_organization_data: if public {
            org.map(|o| PublicOrganizationData {
                image_url: image_url(&o.id),
                id: o.id,
                name: o.name,
                slug: o.slug,
                has_image: false,
            })
        } else {
            None
        },
        status: i.status.as_str().to_owned(),
        public_metadata: Default::default(),
        url: None,
        expires_at: Some(ts(i.created_at + crate::org_rules::INVITATION_LIFETIME_MS)),
        created_at: ts(i.created_at),
        updated_at: ts(i.updated_at),
    })
}

/// The public data of a user.
pub fn public_user_data(u: &UserRec) -> PublicUserData {
    PublicUserData {
        first_name: u.first_name.clone(),
        last_name: u.last_name.clone(),
        image_url: Some(image_url(&u.id)),
        has_image: false,
        identifier: u.identifier(),
        user_id: Some(u.id.clone()),
        username: u.username.clone(),
        banned: Some(false),
        deprovisioned: Some(false),
    }
}

/// A user, with memberships.
pub fn user(tx: &Tx, view: &View, u: &UserRec) -> ApiResult<User> {
    let mut memberships = Vec::new();
    for m in tx.memberships_of_user(&u.id)? {
        if let Some(m) = membership(tx, view.state, &m, false)? {
            memberships.push(m);
        }
    }
    let locked = u.locked_until.is_some_and(|t| t > view.now);
    let settings = &view.state.settings;
    Ok(User {
        id: u.id.clone(),
        external_id: None,
        username: u.username.clone(),
        first_name: u.first_name.clone(),
        last_name: u.last_name.clone(),
        image_url: image_url(&u.id),
        has_image: false,
        primary_email_address_id: u.primary_email_id.clone(),
        primary_phone_number_id: u.primary_phone_id.clone(),
        primary_web3_wallet_id: None,
        password_enabled: u.password_hash.is_some(),
        two_factor_enabled: u.two_factor(),
        totp_enabled: u.totp_secret.is_some(),
        backup_code_enabled: !u.backup_codes.is_empty(),
        email_addresses: u.emails.iter().map(email).collect(),
        phone_numbers: u.phones.iter().map(phone).collect(),
        web3_wallets: vec![],
        passkeys: vec![],
        external_accounts: vec![],
        saml_accounts: vec![],
        enterprise_accounts: vec![],
        organization_memberships: memberships,
        public_metadata: u.public_metadata.clone(),
        unsafe_metadata: u.unsafe_metadata.clone(),
        last_sign_in_at: u.last_sign_in_at.map(ts),
        last_active_at: u.last_active_at.map(ts),
        banned: false,
        locked,
        lockout_expires_in_seconds: u
            .locked_until
            .filter(|_| locked)
            .map(|t| (t - view.now) / 1000),
        verification_attempts_remaining: Some(
            (settings.seed.lockout.max_attempts - u.failed_attempts).max(0),
        ),
        delete_self_enabled: true,
        create_organization_enabled: settings.seed.organizations.enabled,
        create_organizations_limit: None,
        mfa_enabled_at: u.mfa_enabled_at.map(ts),
        mfa_disabled_at: None,
        legal_accepted_at: u.legal_accepted_at.map(ts),
        password_last_updated_at: None,
        created_at: ts(u.created_at),
        updated_at: ts(u.updated_at),
    })
}

/// A session, with its user and (when signed in) a fresh `last_active_token`.
pub fn session(tx: &Tx, view: &View, s: &SessionRec) -> ApiResult<Session> {
    let client_updated_at = tx
        .get::<ClientRec>(&s.client_id)?
        .map_or(0, |c| c.updated_at);
    session_of_client(tx, view, s, client_updated_at)
}

/// [`session`] for a client last updated at `client_updated_at` (ms): its `last_active_token` is
/// never issued before that second, since Clerk's server SDKs treat a token older than
/// `__client_uat` as stale (`session-token-iat-before-client-uat`).
fn session_of_client(
    tx: &Tx,
    view: &View,
    s: &SessionRec,
    client_updated_at: i64,
) -> ApiResult<Session> {
    let u = tx.get::<UserRec>(&s.user_id)?;
    let status = s.effective_status(view.now);
    let last_active_token = match (&u, s.signed_in(view.now)) {
        (Some(u), true) => Some(Token {
            jwt: crate::tokens::cached_token(tx, view, s, u, client_updated_at)?,
        }),
        _ => None,
    };
    let user = match &u {
        Some(u) => Some(user(tx, view, u)?),
        None => None,
    };
    let minutes = |at: i64| (view.now - at).max(0) / 60_000;
    Ok(Session {
        id: s.id.clone(),
        status,
        expire_at: ts(s.expire_at),
        abandon_at: ts(s.abandon_at),
        last_active_at: ts(s.last_active_at),
        last_active_token,
        last_active_organization_id: s.last_active_org_id.clone(),
        actor: None,
        tasks: (!s.tasks.is_empty()).then(|| {
            s.tasks
                .iter()
                .map(|t| SessionTask { key: t.clone() })
                .collect()
        }),
        public_user_data: u.as_ref().map(public_user_data),
        user,
        factor_verification_age: Some(vec![
            minutes(s.first_factor_at),
            s.second_factor_at.map(minutes).unwrap_or(-1),
        ]),
        created_at: ts(s.created_at),
        updated_at: ts(s.updated_at),
    })
}

/// A sign-in attempt.
pub fn sign_in(tx: &Tx, view: &View, si: &SignInRec) -> ApiResult<SignIn> {
    let u = match &si.user_id {
        Some(id) => tx.get::<UserRec>(id)?,
        None => None,
    };
    let status = if si.status != SignInStatus::Complete && view.now >= si.abandon_at {
        SignInStatus::Abandoned
    } else {
        si.status.clone()
    };
    Ok(SignIn {
        id: si.id.clone(),
        status,
        supported_identifiers: supported_identifiers(view.state),
        supported_first_factors: u.as_ref().map(|u| first_factors(view.state, u)),
        supported_second_factors: match (&u, &si.status) {
            (Some(u), SignInStatus::NeedsSecondFactor | SignInStatus::Complete)
                if u.two_factor() =>
            {
                Some(second_factors(view.state, u))
            }
            _ => None,
        },
        first_factor_verification: si.first.as_ref().map(verification),
        second_factor_verification: si.second.as_ref().map(verification),
        identifier: si.identifier.clone(),
        user_data: u.as_ref().map(|u| SignInUserData {
            first_name: u.first_name.clone(),
            last_name: u.last_name.clone(),
            image_url: Some(image_url(&u.id)),
            has_image: false,
        }),
        created_session_id: si.created_session_id.clone(),
        abandon_at: Some(ts(si.abandon_at)),
        client_trust_state: None,
    })
}

fn sign_up_verification(
    v: Option<&VerifRec>,
    strategies: &[String],
    abandon_at: i64,
) -> Option<Verification> {
    let v = v?;
    let mut out = verification(v);
    // The spec requires an integer `expire_at` even before a code is sent: the sign-up's own
    // deadline then.
    if out.expire_at.is_none() {
        out.expire_at = Some(ts(abandon_at));
    }
    out.next_action = Some(match v.status {
        VerificationStatus::Verified => NextAction::None,
        _ if v.code.is_some() => NextAction::NeedsAttempt,
        _ => NextAction::NeedsPrepare,
    });
    out.supported_strategies = Some(strategies.to_vec());
    Some(out)
}

/// A sign-up attempt.
pub fn sign_up(view: &View, su: &SignUpRec) -> SignUp {
    let fields = sign_up_fields(view.state, su);
    let strategies = |attr: &str| {
        view.state
            .settings
            .attribute(attr)
            .map(|a| a.verifications.clone())
            .unwrap_or_default()
    };
    let status = if su.status != SignUpStatus::Complete && view.now >= su.abandon_at {
        SignUpStatus::Abandoned
    } else {
        su.status.clone()
    };
    SignUp {
        id: su.id.clone(),
        status,
        required_fields: fields.required,
        optional_fields: fields.optional,
        missing_fields: fields.missing,
        unverified_fields: fields.unverified,
        verifications: SignUpVerifications {
            email_address: sign_up_verification(
                su.email_verif.as_ref(),
                &strategies("email_address"),
                su.abandon_at,
            ),
            phone_number: sign_up_verification(
                su.phone_verif.as_ref(),
                &strategies("phone_number"),
                su.abandon_at,
            ),
            web3_wallet: None,
            external_account: None,
        },
        username: su.username.clone(),
        email_address: su.email_address.clone(),
        phone_number: su.phone_number.clone(),
        web3_wallet: None,
        password_enabled: su.password_hash.is_some(),
        first_name: su.first_name.clone(),
        last_name: su.last_name.clone(),
        unsafe_metadata: su.unsafe_metadata.clone(),
        custom_action: false,
        external_id: None,
        created_session_id: su.created_session_id.clone(),
        created_user_id: su.created_user_id.clone(),
        abandon_at: Some(ts(su.abandon_at)),
        legal_accepted_at: su.legal_accepted_at.map(ts),
    }
}

/// A client: its signed-in sessions and the sign-in/sign-up in progress.
pub fn client(tx: &Tx, view: &View, c: &ClientRec) -> ApiResult<Client> {
    let mut sessions = Vec::new();
    for s in tx.sessions_of_client(&c.id)? {
        if s.signed_in(view.now) {
            sessions.push(session_of_client(tx, view, &s, c.updated_at)?);
        }
    }
    let sign_in = match &c.sign_in_id {
        Some(id) => match tx.get::<SignInRec>(id)? {
            Some(si) => Some(sign_in(tx, view, &si)?),
            None => None,
        },
        None => None,
    };
    let sign_up = match &c.sign_up_id {
        Some(id) => tx.get::<SignUpRec>(id)?.map(|su| sign_up(view, &su)),
        None => None,
    };
    let last = c
        .last_active_session_id
        .clone()
        .filter(|id| sessions.iter().any(|s| &s.id == id));
    Ok(Client {
        id: c.id.clone(),
        sessions,
        sign_in,
        sign_up,
        last_active_session_id: last,
        last_authentication_strategy: c.last_authentication_strategy.clone(),
        cookie_expires_at: Some(ts(c.created_at + 365 * 24 * 3600 * 1000)),
        captcha_bypass: false,
        created_at: ts(c.created_at),
        updated_at: ts(c.updated_at),
    })
}
