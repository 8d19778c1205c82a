//! Users through the Backend API: the list filters and orders, create, update, metadata,
//! delete, ban, lock.

use axum::http::StatusCode;
use clerk_core::wire::{ErrorCode, SessionStatus, Strategy};

use super::{apply_meta, contains_ci, sort_by_key, MetaChange, Metadata};
use crate::error::{ApiErr, ApiResult};
use crate::identifiers::normalize_phone;
use crate::store::{ident_key, IdentRec, MembershipRec, Tx, UserRec};
use crate::AppState;

/// The filters of `GET /v1/users` and `/v1/users/count` (all must match; an empty list is no
/// filter).
#[derive(Clone, Debug, Default)]
pub(crate) struct UserFilter {
    pub email_address: Vec<String>,
    pub phone_number: Vec<String>,
    pub external_id: Vec<String>,
    pub username: Vec<String>,
    pub user_id: Vec<String>,
    pub organization_id: Vec<String>,
    /// Web3 wallets and provider user ids: this server has none, so any value matches nobody.
    pub matches_nothing: bool,
    pub query: Option<String>,
    pub email_address_query: Option<String>,
    pub phone_number_query: Option<String>,
    pub username_query: Option<String>,
    pub name_query: Option<String>,
    pub banned: Option<bool>,
    pub last_active_at_before: Option<i64>,
    pub last_active_at_after: Option<i64>,
    pub last_active_at_since: Option<i64>,
    pub created_at_before: Option<i64>,
    pub created_at_after: Option<i64>,
    pub last_sign_in_at_before: Option<i64>,
    pub last_sign_in_at_after: Option<i64>,
}

/// The fields `order_by` accepts for users.
pub(crate) const USER_ORDERS: &[&str] = &[
    "created_at",
    "updated_at",
    "email_address",
    "web3wallet",
    "first_name",
    "last_name",
    "phone_number",
    "username",
    "last_active_at",
    "last_sign_in_at",
];

fn before(v: Option<i64>, limit: Option<i64>) -> bool {
    limit.is_none_or(|l| v.is_some_and(|v| v < l))
}

fn after(v: Option<i64>, limit: Option<i64>) -> bool {
    limit.is_none_or(|l| v.is_some_and(|v| v > l))
}

impl UserFilter {
    fn matches(&self, u: &UserRec, orgs_of: &[String]) -> bool {
        let any = |wanted: &[String], f: &dyn Fn(&str) -> bool| {
            wanted.is_empty() || wanted.iter().any(|w| f(w))
        };
        let full_name = format!(
            "{} {}",
            u.first_name.as_deref().unwrap_or_default(),
            u.last_name.as_deref().unwrap_or_default()
        );
        !self.matches_nothing
            && any(&self.email_address, &|w| {
                u.emails
                    .iter()
                    .any(|e| e.value.eq_ignore_ascii_case(w.trim()))
            })
            && any(&self.phone_number, &|w| {
                let w = normalize_phone(w);
                u.phones.iter().any(|p| p.value == w)
            })
            && any(&self.external_id, &|w| u.external_id.as_deref() == Some(w))
            && any(&self.username, &|w| {
                u.username
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(w.trim()))
            })
            && any(&self.user_id, &|w| u.id == w)
            && any(&self.organization_id, &|w| orgs_of.iter().any(|o| o == w))
            && self.query.as_deref().is_none_or(|q| {
                u.id.contains(q)
                    || u.emails.iter().any(|e| contains_ci(&e.value, q))
                    || u.phones
                        .iter()
                        .any(|p| p.value.contains(q.trim_start_matches('+')))
                    || u.username.as_deref().is_some_and(|n| contains_ci(n, q))
                    || u.external_id.as_deref().is_some_and(|n| contains_ci(n, q))
                    || contains_ci(&full_name, q)
            })
            && self
                .email_address_query
                .as_deref()
                .is_none_or(|q| u.emails.iter().any(|e| contains_ci(&e.value, q)))
            && self.phone_number_query.as_deref().is_none_or(|q| {
                u.phones
                    .iter()
                    .any(|p| p.value.contains(q.trim_start_matches('+')))
            })
            && self
                .username_query
                .as_deref()
                .is_none_or(|q| u.username.as_deref().is_some_and(|n| contains_ci(n, q)))
            && self
                .name_query
                .as_deref()
                .is_none_or(|q| contains_ci(&full_name, q))
            && self.banned.is_none_or(|b| u.banned == b)
            && before(u.last_active_at, self.last_active_at_before)
            && after(u.last_active_at, self.last_active_at_after)
            && self
                .last_active_at_since
                .is_none_or(|l| u.last_active_at.is_some_and(|v| v >= l))
            && before(Some(u.created_at), self.created_at_before)
            && after(Some(u.created_at), self.created_at_after)
            && before(u.last_sign_in_at, self.last_sign_in_at_before)
            && after(u.last_sign_in_at, self.last_sign_in_at_after)
    }
}

/// The users matching `filter`, in the order `(field, descending)` (ties: oldest first).
pub(crate) fn list(
    tx: &Tx,
    filter: &UserFilter,
    order: &(String, bool),
) -> ApiResult<Vec<UserRec>> {
    let mut out = Vec::new();
    for u in tx.all::<UserRec>()? {
        let orgs: Vec<String> = if filter.organization_id.is_empty() {
            Vec::new()
        } else {
            tx.memberships_of_user(&u.id)?
                .into_iter()
                .map(|m| m.org_id)
                .collect()
        };
        if filter.matches(&u, &orgs) {
            out.push(u);
        }
    }
    let (field, desc) = (order.0.as_str(), order.1);
    let lower = |s: Option<&str>| s.map(str::to_lowercase);
    match field {
        "updated_at" => sort_by_key(&mut out, desc, |u| Some(u.updated_at)),
        "email_address" => sort_by_key(&mut out, desc, |u| lower(u.primary_email())),
        "first_name" => sort_by_key(&mut out, desc, |u| lower(u.first_name.as_deref())),
        "last_name" => sort_by_key(&mut out, desc, |u| lower(u.last_name.as_deref())),
        "username" => sort_by_key(&mut out, desc, |u| u.username.clone()),
        "phone_number" => sort_by_key(&mut out, desc, |u| {
            let id = u.primary_phone_id.as_deref()?;
            u.phones
                .iter()
                .find(|p| p.id == id)
                .map(|p| p.value.clone())
        }),
        "last_active_at" => sort_by_key(&mut out, desc, |u| u.last_active_at),
        "last_sign_in_at" => sort_by_key(&mut out, desc, |u| u.last_sign_in_at),
        "web3wallet" => {}
        _ => sort_by_key(&mut out, desc, |u| Some(u.created_at)),
    }
    Ok(out)
}

/// The user of this id (404 otherwise).
pub(crate) fn get(tx: &Tx, id: &str) -> ApiResult<UserRec> {
    tx.get::<UserRec>(id)?
        .ok_or_else(|| super::not_found("user"))
}

fn taken(param: &str) -> ApiErr {
    ApiErr::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::FormIdentifierExists,
        "That identifier is taken.",
        &format!("That {param} is taken. Please try another."),
    )
    .param(param)
}

/// Errors unless `email` looks like an email address.
pub(crate) fn check_email(email: &str, param: &str) -> ApiResult<()> {
    let ok = email.split_once('@').is_some_and(|(l, d)| {
        !l.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.')
    }) && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && email.len() <= 320;
    if !ok {
        return Err(ApiErr::invalid(
            param,
            &format!("{param} must be a valid email address."),
        ));
    }
    Ok(())
}

/// A phone number in E.164 (`+` and 8 to 15 digits), normalised.
fn check_phone(phone: &str) -> ApiResult<String> {
    let t = phone.trim();
    let digits = t.chars().filter(|c| c.is_ascii_digit()).count();
    let ok = t.starts_with('+')
        && (8..=15).contains(&digits)
        && t[1..]
            .chars()
            .all(|c| c.is_ascii_digit() || " -().".contains(c));
    if !ok {
        return Err(ApiErr::invalid(
            "phone_number",
            "phone_number must be a valid phone number in E.164 format.",
        ));
    }
    Ok(normalize_phone(t))
}

/// Errors unless `v` is a valid username (lowercased).
fn check_username(v: &str) -> ApiResult<String> {
    let v = v.trim().to_lowercase();
    let len = v.chars().count();
    if !(4..=64).contains(&len)
        || !v
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
    {
        return Err(ApiErr::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::FormUsernameInvalidLength,
            "is invalid",
            "Username must be 4 to 64 letters, numbers, '_', '-' or '.'.",
        )
        .param("username"));
    }
    Ok(v)
}

fn check_name(param: &str, v: &str) -> ApiResult<Option<String>> {
    let v = v.trim();
    if v.chars().count() > 256 {
        return Err(ApiErr::invalid(param, &format!("{param} is too long.")));
    }
    Ok(Some(v.to_owned()).filter(|v| !v.is_empty()))
}

/// Errors unless `external_id` is free (or the user's own).
fn check_external_id(tx: &Tx, external_id: &str, own: Option<&str>) -> ApiResult<()> {
    if let Some(owner) = tx.key(&format!("external_id:{external_id}"))? {
        if Some(owner.as_str()) != own {
            return Err(taken("external_id"));
        }
    }
    Ok(())
}

/// `POST /v1/users`, parsed; the password already hashed.
#[derive(Clone, Debug, Default)]
pub(crate) struct NewUser {
    pub external_id: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub username: Option<String>,
    pub password_hash: Option<String>,
    pub skip_password_requirement: bool,
    pub totp_secret: Option<String>,
    pub backup_codes: Vec<String>,
    pub metadata: Metadata,
    pub banned: bool,
    pub locked: bool,
    pub legal_accepted_at: Option<i64>,
    pub created_at: Option<i64>,
}

/// Checks a new user's fields against the instance's settings before the password is hashed:
/// the identifiers it requires, the formats.
pub(crate) fn check_new(state: &AppState, n: &NewUser, has_password: bool) -> ApiResult<()> {
    let s = &state.settings;
    let required = |name: &str| s.attribute(name).is_some_and(|a| a.enabled && a.required);
    if required("email_address") && n.emails.is_empty() {
        return Err(ApiErr::missing("email_address"));
    }
    if required("phone_number") && n.phones.is_empty() {
        return Err(ApiErr::missing("phone_number"));
    }
    if required("username") && n.username.is_none() {
        return Err(ApiErr::missing("username"));
    }
    if required("password") && !has_password && !n.skip_password_requirement {
        return Err(ApiErr::missing("password"));
    }
    if n.emails.is_empty() && n.phones.is_empty() && n.username.is_none() && n.external_id.is_none()
    {
        return Err(ApiErr::missing("email_address"));
    }
    for e in &n.emails {
        check_email(e, "email_address")?;
    }
    for p in &n.phones {
        check_phone(p)?;
    }
    if let Some(u) = &n.username {
        check_username(u)?;
    }
    if let Some(secret) = &n.totp_secret {
        if crate::crypto::base32_decode(secret).is_none_or(|b| b.len() < 10) {
            return Err(ApiErr::invalid(
                "totp_secret",
                "totp_secret must be a base32 secret of at least 80 bits.",
            ));
        }
    }
    Ok(())
}

/// Creates a user (its identifiers verified by `admin`).
pub(crate) fn create(tx: &Tx, state: &AppState, n: &NewUser) -> ApiResult<UserRec> {
    let now = state.now();
    let created = n.created_at.unwrap_or(now);
    let mut u = UserRec {
        id: crate::crypto::new_id("user"),
        first_name: n.first_name.clone(),
        last_name: n.last_name.clone(),
        password_hash: n.password_hash.clone(),
        external_id: n.external_id.clone(),
        totp_secret: n.totp_secret.clone(),
        backup_codes: n
            .backup_codes
            .iter()
            .map(|c| crate::crypto::sha256_hex(c.trim()))
            .collect(),
        banned: n.banned,
        locked_until: n
            .locked
            .then(|| now + state.settings.seed.lockout.duration_minutes.max(1) * 60_000),
        legal_accepted_at: n.legal_accepted_at,
        created_at: created,
        updated_at: now,
        ..Default::default()
    };
    if u.totp_secret.is_some() || !u.backup_codes.is_empty() {
        u.mfa_enabled_at = Some(now);
    }
    apply_user_meta(&mut u, &n.metadata, MetaChange::Replace);
    if let Some(x) = &n.external_id {
        check_external_id(tx, x, None)?;
        tx.set_key(&format!("external_id:{x}"), &u.id)?;
    }
    let mut keys = Vec::new();
    for e in &n.emails {
        let e = e.trim().to_lowercase();
        let key = ident_key("email", &e);
        if tx.key(&key)?.is_some() || keys.contains(&key) {
            return Err(taken("email_address"));
        }
        let id = crate::crypto::new_id("idn");
        u.primary_email_id.get_or_insert(id.clone());
        u.emails.push(admin_ident(id, e, now));
        keys.push(key);
    }
    for p in &n.phones {
        let p = check_phone(p)?;
        let key = ident_key("phone", &p);
        if tx.key(&key)?.is_some() || keys.contains(&key) {
            return Err(taken("phone_number"));
        }
        let id = crate::crypto::new_id("idn");
        u.primary_phone_id.get_or_insert(id.clone());
        u.phones.push(admin_ident(id, p, now));
        keys.push(key);
    }
    if let Some(name) = &n.username {
        let name = check_username(name)?;
        let key = ident_key("username", &name);
        if tx.key(&key)?.is_some() {
            return Err(taken("username"));
        }
        u.username = Some(name);
        keys.push(key);
    }
    for key in keys {
        tx.set_key(&key, &u.id)?;
    }
    tx.put(&u)?;
    Ok(u)
}

fn admin_ident(id: String, value: String, now: i64) -> IdentRec {
    IdentRec {
        id,
        value,
        verified: true,
        strategy: Strategy::Admin,
        second_factor: false,
        created_at: now,
    }
}

/// `PATCH /v1/users/{id}`, parsed: `Some` fields change (`Some(None)` clears).
#[derive(Clone, Debug, Default)]
pub(crate) struct UserUpdate {
    pub external_id: Option<Option<String>>,
    pub first_name: Option<Option<String>>,
    pub last_name: Option<Option<String>>,
    pub username: Option<Option<String>>,
    pub primary_email_address_id: Option<String>,
    pub primary_phone_number_id: Option<String>,
    pub password_hash: Option<String>,
    pub sign_out_of_other_sessions: bool,
    pub totp_secret: Option<String>,
    pub backup_codes: Option<Vec<String>>,
    pub metadata: Metadata,
    pub legal_accepted_at: Option<i64>,
    pub created_at: Option<i64>,
}

/// Checks an update's formats before the password is hashed.
pub(crate) fn check_update(up: &UserUpdate) -> ApiResult<()> {
    for (param, v) in [("first_name", &up.first_name), ("last_name", &up.last_name)] {
        if let Some(Some(v)) = v {
            check_name(param, v)?;
        }
    }
    if let Some(Some(name)) = &up.username {
        check_username(name)?;
    }
    Ok(())
}

/// Applies an update.
pub(crate) fn update(tx: &Tx, state: &AppState, id: &str, up: &UserUpdate) -> ApiResult<UserRec> {
    let mut u = get(tx, id)?;
    let now = state.now();
    if let Some(v) = &up.first_name {
        u.first_name = match v {
            Some(v) => check_name("first_name", v)?,
            None => None,
        };
    }
    if let Some(v) = &up.last_name {
        u.last_name = match v {
            Some(v) => check_name("last_name", v)?,
            None => None,
        };
    }
    if let Some(x) = &up.external_id {
        if let Some(old) = &u.external_id {
            tx.del_key(&format!("external_id:{old}"))?;
        }
        if let Some(x) = x {
            check_external_id(tx, x, Some(&u.id))?;
            tx.set_key(&format!("external_id:{x}"), &u.id)?;
        }
        u.external_id = x.clone();
    }
    if let Some(name) = &up.username {
        let name = name.as_deref().map(check_username).transpose()?;
        if name != u.username {
            if let Some(new) = &name {
                if tx.key(&ident_key("username", new))?.is_some() {
                    return Err(taken("username"));
                }
                tx.set_key(&ident_key("username", new), &u.id)?;
            }
            if let Some(old) = &u.username {
                tx.del_key(&ident_key("username", old))?;
            }
            u.username = name;
        }
    }
    if let Some(id) = &up.primary_email_address_id {
        if !u.emails.iter().any(|e| &e.id == id && e.verified) {
            return Err(ApiErr::value_invalid(
                "primary_email_address_id",
                "No verified email address of this user has this id.",
            ));
        }
        u.primary_email_id = Some(id.clone());
    }
    if let Some(id) = &up.primary_phone_number_id {
        if !u.phones.iter().any(|p| &p.id == id && p.verified) {
            return Err(ApiErr::value_invalid(
                "primary_phone_number_id",
                "No verified phone number of this user has this id.",
            ));
        }
        u.primary_phone_id = Some(id.clone());
    }
    if let Some(hash) = &up.password_hash {
        u.password_hash = Some(hash.clone());
        if up.sign_out_of_other_sessions {
            revoke_sessions(tx, state, &u.id)?;
        }
    }
    if let Some(secret) = &up.totp_secret {
        if crate::crypto::base32_decode(secret).is_none_or(|b| b.len() < 10) {
            return Err(ApiErr::invalid(
                "totp_secret",
                "totp_secret must be a base32 secret of at least 80 bits.",
            ));
        }
        u.totp_secret = Some(secret.clone());
        u.mfa_enabled_at.get_or_insert(now);
    }
    if let Some(codes) = &up.backup_codes {
        u.backup_codes = codes
            .iter()
            .map(|c| crate::crypto::sha256_hex(c.trim()))
            .collect();
        if !u.backup_codes.is_empty() {
            u.mfa_enabled_at.get_or_insert(now);
        }
    }
    apply_user_meta(&mut u, &up.metadata, MetaChange::Replace);
    if let Some(at) = up.legal_accepted_at {
        u.legal_accepted_at = Some(at);
    }
    if let Some(at) = up.created_at {
        u.created_at = at;
    }
    u.updated_at = now.max(u.updated_at + 1);
    tx.put(&u)?;
    Ok(u)
}

/// `PATCH|PUT /v1/users/{id}/metadata`.
/// Applies a request's three metadata fields to a user (absent ones left alone).
fn apply_user_meta(u: &mut UserRec, meta: &Metadata, how: MetaChange) {
    apply_meta(&mut u.public_metadata, meta.public.as_ref(), how);
    apply_meta(&mut u.private_metadata, meta.private.as_ref(), how);
    apply_meta(&mut u.unsafe_metadata, meta.unsafe_.as_ref(), how);
}

pub(crate) fn metadata(
    tx: &Tx,
    state: &AppState,
    id: &str,
    meta: &Metadata,
    how: MetaChange,
) -> ApiResult<UserRec> {
    let mut u = get(tx, id)?;
    apply_user_meta(&mut u, meta, how);
    u.updated_at = state.now().max(u.updated_at + 1);
    tx.put(&u)?;
    Ok(u)
}

/// Revokes the user's signed-in sessions on every client.
fn revoke_sessions(tx: &Tx, state: &AppState, user_id: &str) -> ApiResult<()> {
    let now = state.now();
    for mut s in tx.sessions_of_user(user_id)? {
        if s.signed_in(now) {
            s.status = SessionStatus::Revoked;
            s.updated_at = now;
            tx.put(&s)?;
            crate::tokens::forget(state, &s.id);
        }
    }
    Ok(())
}

/// `DELETE /v1/users/{id}`: frees its identifiers, drops its memberships, removes its
/// sessions on every client.
pub(crate) fn delete(tx: &Tx, state: &AppState, id: &str) -> ApiResult<UserRec> {
    let u = get(tx, id)?;
    let keys = u
        .emails
        .iter()
        .map(|e| ident_key("email", &e.value))
        .chain(u.phones.iter().map(|p| ident_key("phone", &p.value)))
        .chain(u.username.iter().map(|n| ident_key("username", n)))
        .chain(u.external_id.iter().map(|x| format!("external_id:{x}")));
    for key in keys {
        if tx.key(&key)?.as_deref() == Some(u.id.as_str()) {
            tx.del_key(&key)?;
        }
    }
    for m in tx.memberships_of_user(&u.id)? {
        tx.delete::<MembershipRec>(&m.id)?;
        tx.delete::<super::Extras>(&m.id)?;
    }
    let now = state.now();
    for mut s in tx.sessions_of_user(&u.id)? {
        if s.signed_in(now) {
            s.status = SessionStatus::Removed;
            s.updated_at = now;
            tx.put(&s)?;
            crate::tokens::forget(state, &s.id);
        }
    }
    tx.delete::<UserRec>(&u.id)?;
    Ok(u)
}

/// What `POST /v1/users/{id}/ban|unban|lock|unlock` does.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Restriction {
    /// Banned: no sign-in, every session revoked.
    Ban,
    /// Not banned.
    Unban,
    /// Locked for the instance's lockout duration.
    Lock,
    /// Not locked, failed attempts forgotten.
    Unlock,
}

/// Bans, unbans, locks or unlocks a user.
pub(crate) fn restrict(tx: &Tx, state: &AppState, id: &str, r: Restriction) -> ApiResult<UserRec> {
    let mut u = get(tx, id)?;
    let now = state.now();
    match r {
        Restriction::Ban => {
            u.banned = true;
            revoke_sessions(tx, state, &u.id)?;
        }
        Restriction::Unban => u.banned = false,
        Restriction::Lock => {
            u.locked_until =
                Some(now + state.settings.seed.lockout.duration_minutes.max(1) * 60_000);
        }
        Restriction::Unlock => {
            u.locked_until = None;
            u.failed_attempts = 0;
        }
    }
    u.updated_at = now.max(u.updated_at + 1);
    tx.put(&u)?;
    Ok(u)
}
