//! Sign-ups: create, read, update, and email/phone code verification.

use axum::http::StatusCode;
use clerk_core::wire::{ErrorCode, SignUpStatus, Strategy, VerificationStatus};

use super::{client_of, ensure_client, envelope, touch_client, view};
use crate::error::{ApiErr, ApiResult};
use crate::http::{Reply, Req};
use crate::identifiers::normalize_phone;
use crate::password::password_error;
use crate::store::{ident_key, no_strategy, ClientRec, IdentRec, SignUpRec, Tx, UserRec, VerifRec};
use crate::verification::{check_code, send_code};
use crate::AppState;

/// Fields of a sign-up form, validated (no password hashing yet).
#[derive(Default)]
struct Fields {
    email: Option<Option<String>>,
    phone: Option<Option<String>>,
    username: Option<Option<String>>,
    password: Option<String>,
    first_name: Option<Option<String>>,
    last_name: Option<Option<String>>,
    unsafe_metadata: Option<serde_json::Map<String, serde_json::Value>>,
    legal_accepted: Option<bool>,
}

fn text_field(req: &Req, key: &str) -> Option<Option<String>> {
    req.form
        .get(key)
        .map(|v| Some(v.trim().to_owned()).filter(|v| !v.is_empty()))
}

fn unknown_param(key: &str) -> ApiErr {
    ApiErr::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::FormParamUnknown,
        "is unknown",
        &format!("{key} is not a valid parameter for this instance."),
    )
    .param(key)
}

fn parse_fields(req: &Req) -> ApiResult<Fields> {
    let s = &req.state.settings;
    let mut f = Fields {
        email: text_field(req, "email_address"),
        phone: text_field(req, "phone_number"),
        username: text_field(req, "username"),
        password: req.form.get("password").map(str::to_owned),
        first_name: text_field(req, "first_name"),
        last_name: text_field(req, "last_name"),
        unsafe_metadata: None,
        legal_accepted: req.form.flag("legal_accepted")?,
    };
    if let Some(Some(either)) = text_field(req, "email_address_or_phone_number") {
        if either.contains('@') {
            f.email = Some(Some(either));
        } else {
            f.phone = Some(Some(either));
        }
    }
    if let Some(strategy) = req.field("strategy") {
        return Err(ApiErr::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::FormParamValueInvalid,
            "is invalid",
            &format!("The sign up strategy {strategy} is not supported by this server."),
        )
        .param("strategy"));
    }
    if req.form.flag("transfer")? == Some(true) {
        return Err(ApiErr::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::FormParamValueInvalid,
            "nothing to transfer",
            "There is no external account to transfer.",
        )
        .param("transfer"));
    }
    if let Some(Some(email)) = &f.email {
        if !s.enabled("email_address") {
            return Err(unknown_param("email_address"));
        }
        let ok = email.len() <= 320
            && email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !email.chars().any(|c| c.is_whitespace() || c.is_control())
                    && !domain.contains('@')
            });
        if !ok {
            return Err(ApiErr::invalid(
                "email_address",
                "Email address must be a valid email address.",
            ));
        }
        f.email = Some(Some(email.to_lowercase()));
    }
    if let Some(Some(phone)) = &f.phone {
        if !s.enabled("phone_number") {
            return Err(unknown_param("phone_number"));
        }
        let normalized = normalize_phone(phone);
        let digits = normalized.len() - 1;
        let clean = phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c));
        if !clean || !(8..=15).contains(&digits) {
            return Err(ApiErr::invalid("phone_number", "Phone number is invalid."));
        }
        f.phone = Some(Some(normalized));
    }
    if let Some(Some(username)) = &f.username {
        if !s.enabled("username") {
            return Err(unknown_param("username"));
        }
        let len = username.chars().count();
        if !(4..=64).contains(&len) {
            return Err(ApiErr::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::FormUsernameInvalidLength,
                "is invalid",
                "Username must be between 4 and 64 characters long.",
            )
            .param("username"));
        }
        if !username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
        {
            return Err(ApiErr::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::from("form_username_invalid_character"),
                "is invalid",
                "Username can only contain letters, numbers and '_', '-' or '.'.",
            )
            .param("username"));
        }
        f.username = Some(Some(username.to_lowercase()));
    }
    for (name, value) in [("first_name", &f.first_name), ("last_name", &f.last_name)] {
        if let Some(Some(v)) = value {
            if !s.enabled(name) {
                return Err(unknown_param(name));
            }
            if v.chars().count() > 256 {
                return Err(ApiErr::invalid(name, &format!("{name} is too long.")));
            }
        }
    }
    if let Some(p) = &f.password {
        if !s.enabled("password") {
            return Err(unknown_param("password"));
        }
        if let Some(e) = password_error(&req.state, p) {
            return Err(e);
        }
    }
    if let Some(text) = req.form.get("unsafe_metadata") {
        let text = text.trim();
        f.unsafe_metadata = Some(match text {
            "" | "null" => Default::default(),
            _ => match serde_json::from_str::<serde_json::Value>(text) {
                Ok(serde_json::Value::Object(m)) => m,
                _ => {
                    return Err(ApiErr::invalid(
                        "unsafe_metadata",
                        "unsafe_metadata must be a JSON object.",
                    ))
                }
            },
        });
    }
    Ok(f)
}

fn taken(tx: &Tx, kind: &str, value: &str, param: &str) -> ApiResult<()> {
    if tx.key(&ident_key(kind, value))?.is_some() {
        let what = match kind {
            "email" => "email address",
            "phone" => "phone number",
            _ => "username",
        };
        return Err(ApiErr::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::FormIdentifierExists,
            "That identifier is taken.",
            &format!("That {what} is taken. Please try another."),
        )
        .param(param));
    }
    Ok(())
}

fn unverified(strategy: &str) -> VerifRec {
    VerifRec {
        status: VerificationStatus::Unverified,
        strategy: strategy.into(),
        ..Default::default()
    }
}

/// Applies fields to a sign-up (inside the transaction: uniqueness checks).
fn apply(
    tx: &Tx,
    state: &AppState,
    su: &mut SignUpRec,
    f: &Fields,
    hash: Option<String>,
) -> ApiResult<()> {
    let s = &state.settings;
    if let Some(email) = &f.email {
        if let Some(e) = email {
            taken(tx, "email", e, "email_address")?;
        }
        if *email != su.email_address {
            su.email_address = email.clone();
            su.email_verif = email.as_ref().map(|_| {
                let strategies = s
                    .attribute("email_address")
                    .map(|a| a.verifications.clone())
                    .unwrap_or_default();
                match strategies.first() {
                    Some(strategy) => unverified(strategy),
                    None => VerifRec {
                        status: VerificationStatus::Verified,
                        strategy: Strategy::EmailCode,
                        ..Default::default()
                    },
                }
            });
        }
    }
    if let Some(phone) = &f.phone {
        if let Some(p) = phone {
            taken(tx, "phone", p, "phone_number")?;
        }
        if *phone != su.phone_number {
            su.phone_number = phone.clone();
            su.phone_verif = phone.as_ref().map(|_| {
                let strategies = s
                    .attribute("phone_number")
                    .map(|a| a.verifications.clone())
                    .unwrap_or_default();
                match strategies.first() {
                    Some(strategy) => unverified(strategy),
                    None => VerifRec {
                        status: VerificationStatus::Verified,
                        strategy: Strategy::PhoneCode,
                        ..Default::default()
                    },
                }
            });
        }
    }
    if let Some(username) = &f.username {
        if let Some(u) = username {
            taken(tx, "username", u, "username")?;
        }
        su.username = username.clone();
    }
    if let Some(v) = &f.first_name {
        su.first_name = v.clone();
    }
    if let Some(v) = &f.last_name {
        su.last_name = v.clone();
    }
    if let Some(m) = &f.unsafe_metadata {
        su.unsafe_metadata = m.clone();
    }
    if f.legal_accepted == Some(true) {
        su.legal_accepted_at = Some(state.now());
    }
    if hash.is_some() {
        su.password_hash = hash;
    }
    Ok(())
}

/// Creates the user and session when nothing is missing or unverified.
fn maybe_complete(tx: &Tx, req: &Req, c: &mut ClientRec, su: &mut SignUpRec) -> ApiResult<()> {
    let fields = crate::policy::sign_up_fields(&req.state, su);
    if su.status == SignUpStatus::Complete
        || !fields.missing.is_empty()
        || !fields.unverified.is_empty()
    {
        return Ok(());
    }
    let now = req.state.now();
    if let Some(e) = &su.email_address {
        taken(tx, "email", e, "email_address")?;
    }
    if let Some(p) = &su.phone_number {
        taken(tx, "phone", p, "phone_number")?;
    }
    if let Some(u) = &su.username {
        taken(tx, "username", u, "username")?;
    }
    let mut u = UserRec {
        id: crate::crypto::new_id("user"),
        username: su.username.clone(),
        first_name: su.first_name.clone(),
        last_name: su.last_name.clone(),
        password_hash: su.password_hash.clone(),
        unsafe_metadata: su.unsafe_metadata.clone(),
        legal_accepted_at: su.legal_accepted_at,
        created_at: now,
        updated_at: now,
        ..Default::default()
    };
    if let Some(e) = &su.email_address {
        let id = crate::crypto::new_id("idn");
        u.emails.push(IdentRec {
            id: id.clone(),
            value: e.clone(),
            verified: true,
            strategy: su
                .email_verif
                .as_ref()
                .map(|v| v.strategy.clone())
                .unwrap_or_else(no_strategy),
            second_factor: false,
            created_at: now,
        });
        u.primary_email_id = Some(id);
        tx.set_key(&ident_key("email", e), &u.id)?;
    }
    if let Some(p) = &su.phone_number {
        let id = crate::crypto::new_id("idn");
        u.phones.push(IdentRec {
            id: id.clone(),
            value: p.clone(),
            verified: true,
            strategy: su
                .phone_verif
                .as_ref()
                .map(|v| v.strategy.clone())
                .unwrap_or_else(no_strategy),
            second_factor: false,
            created_at: now,
        });
        u.primary_phone_id = Some(id);
        tx.set_key(&ident_key("phone", p), &u.id)?;
    }
    if let Some(name) = &su.username {
        tx.set_key(&ident_key("username", name), &u.id)?;
    }
    tx.put(&u)?;
    let strategy = su
        .email_verif
        .as_ref()
        .or(su.phone_verif.as_ref())
        .map(|v| v.strategy.clone())
        .unwrap_or(Strategy::Password);
    let s = crate::sessions::create(tx, &req.state, c, &mut u, now, None, strategy.as_str())?;
    su.status = SignUpStatus::Complete;
    su.created_user_id = Some(u.id);
    su.created_session_id = Some(s.id);
    Ok(())
}

fn answer(tx: &Tx, req: &Req, c: &mut ClientRec, su: &SignUpRec) -> ApiResult<Reply> {
    tx.put(su)?;
    c.sign_up_id = Some(su.id.clone());
    touch_client(tx, req, c)?;
    let rendered = crate::render::sign_up(&view(req), su);
    envelope(tx, req, &rendered, c)
}

/// `POST /v1/client/sign_ups`.
pub fn create(req: &mut Req) -> ApiResult<Reply> {
    let state = req.state.clone();
    if state.settings.seed.instance.sign_up_mode != "public" {
        return Err(ApiErr::new(
            StatusCode::FORBIDDEN,
            ErrorCode::SignUpModeRestricted,
            "Sign-ups are restricted",
            "Sign-ups are restricted on this instance.",
        ));
    }
    let f = parse_fields(req)?;
    let hash = f.password.as_deref().map(crate::crypto::hash_password);
    state.db.tx(|tx| {
        let mut c = ensure_client(tx, req)?;
        let now = state.now();
        let mut su = SignUpRec {
            id: crate::crypto::new_id("sua"),
            client_id: c.id.clone(),
            status: SignUpStatus::MissingRequirements,
            abandon_at: now + 24 * 3600 * 1000,
            created_at: now,
            ..Default::default()
        };
        apply(tx, &state, &mut su, &f, hash.clone())?;
        maybe_complete(tx, req, &mut c, &mut su)?;
        answer(tx, req, &mut c, &su)
    })
}

fn path_sign_up(tx: &Tx, req: &Req, missing: StatusCode) -> ApiResult<(ClientRec, SignUpRec)> {
    let gone = || ApiErr::not_found("sign up").with_status(missing);
    let c = client_of(tx, req)?.ok_or_else(gone)?;
    let su = tx
        .get::<SignUpRec>(req.param("sign_up_id"))?
        .filter(|s| s.client_id == c.id)
        .ok_or_else(gone)?;
    Ok((c, su))
}

fn open(su: &SignUpRec, now: i64) -> ApiResult<()> {
    if su.status == SignUpStatus::Complete {
        return Err(ApiErr::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::ConflictingState,
            "Sign up complete",
            "This sign up is already complete.",
        ));
    }
    if now >= su.abandon_at {
        return Err(ApiErr::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::from("sign_up_expired"),
            "Sign up expired",
            "This sign up attempt has expired. Start a new one.",
        ));
    }
    Ok(())
}

/// `GET /v1/client/sign_ups/{id}`.
pub fn get(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    req.state.db.tx(|tx| {
        let (c, su) = path_sign_up(tx, req, StatusCode::NOT_FOUND)?;
        let rendered = crate::render::sign_up(&view(req), &su);
        envelope(tx, req, &rendered, &c)
    })
}

/// `PATCH /v1/client/sign_ups/{id}`: adds or changes fields.
pub fn update(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    let f = parse_fields(req)?;
    let hash = f.password.as_deref().map(crate::crypto::hash_password);
    let state = &req.state;
    state.db.tx(|tx| {
        let (mut c, mut su) = path_sign_up(tx, req, StatusCode::NOT_FOUND)?;
        open(&su, state.now())?;
        apply(tx, state, &mut su, &f, hash.clone())?;
        maybe_complete(tx, req, &mut c, &mut su)?;
        answer(tx, req, &mut c, &su)
    })
}

/// `POST …/prepare_verification`: sends an email or SMS code.
pub fn prepare(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    let strategy = req
        .field("strategy")
        .ok_or_else(|| ApiErr::missing("strategy"))?;
    let state = &req.state;
    state.db.tx(|tx| {
        let (mut c, mut su) = path_sign_up(tx, req, StatusCode::BAD_REQUEST)?;
        open(&su, state.now())?;
        match strategy.as_str() {
            "email_code" => {
                let email = su
                    .email_address
                    .clone()
                    .ok_or_else(|| ApiErr::missing("email_address"))?;
                su.email_verif = Some(send_code(state, &email, "email_code", "sign_up", None));
            }
            "phone_code" => {
                let phone = su
                    .phone_number
                    .clone()
                    .ok_or_else(|| ApiErr::missing("phone_number"))?;
                su.phone_verif = Some(send_code(state, &phone, "phone_code", "sign_up", None));
            }
            other => {
                return Err(ApiErr::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ErrorCode::StrategyForUserInvalid,
                    "Invalid verification strategy",
                    &format!("The verification strategy {other} is not supported here."),
                )
                .param("strategy"))
            }
        }
        answer(tx, req, &mut c, &su)
    })
}

/// `POST …/attempt_verification`: checks the code; completes the sign-up when nothing else is
/// missing.
pub fn attempt(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    let strategy = req
        .field("strategy")
        .ok_or_else(|| ApiErr::missing("strategy"))?;
    let state = &req.state;
    let outcome = state.db.tx(|tx| {
        let (mut c, mut su) = path_sign_up(tx, req, StatusCode::BAD_REQUEST)?;
        open(&su, state.now())?;
        let slot = match strategy.as_str() {
            "email_code" => &mut su.email_verif,
            "phone_code" => &mut su.phone_verif,
            other => {
                return Err(ApiErr::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ErrorCode::StrategyForUserInvalid,
                    "Invalid verification strategy",
                    &format!("The verification strategy {other} is not supported here."),
                )
                .param("strategy"))
            }
        };
        let Some(v) = slot.as_mut().filter(|v| v.code.is_some()) else {
            return Err(ApiErr::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::from("verification_missing"),
                "not prepared",
                "Send a code with prepare_verification first.",
            )
            .param("strategy"));
        };
        if let Err(e) = check_code(state, v, req.form.get("code")) {
            tx.put(&su)?;
            return Ok(Err(e));
        }
        maybe_complete(tx, req, &mut c, &mut su)?;
        Ok(answer(tx, req, &mut c, &su))
    })?;
    outcome
}
