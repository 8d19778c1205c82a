//! Session tokens: the v2 claims, the short-lived cache behind a session's
//! `last_active_token`, and JWT templates. The routes load the records; this module builds the
//! claims and signs them with [`crate::jwt::Signer`].

use clerk_core::claims::TokenCategory;
use clerk_core::wire::SessionStatus;

use crate::config::TemplateSeed;
use crate::error::ApiResult;
use crate::store::{MembershipRec, OrgRec, SessionRec, Tx, UserRec};
use crate::{AppState, Instance};

/// Everything a token is about: the session, its user, the organization (if any) it is for and
/// the instance (its `iss`) of the session's client.
pub(crate) struct Subject {
    pub(crate) session: SessionRec,
    pub(crate) user: UserRec,
    pub(crate) org: Option<(OrgRec, MembershipRec)>,
    pub(crate) instance: Instance,
}

/// The user's membership in an organization, with the organization.
pub(crate) fn org_membership(
    tx: &Tx,
    user_id: &str,
    org_id: &str,
) -> ApiResult<Option<(OrgRec, MembershipRec)>> {
    let Some(m) = tx
        .memberships_of_user(user_id)?
        .into_iter()
        .find(|m| m.org_id == org_id)
    else {
        return Ok(None);
    };
    Ok(tx.get::<OrgRec>(org_id)?.map(|o| (o, m)))
}

/// The v2 session-token claims (`fapi-protocol.md` §7).
fn claims(
    state: &AppState,
    instance: Instance,
    s: &SessionRec,
    u: &UserRec,
    org: Option<&(OrgRec, MembershipRec)>,
    azp: Option<&str>,
    now: i64,
) -> serde_json::Value {
    let iat = now / 1000;
    let lifetime = state.settings.seed.instance.token_lifetime_seconds;
    let minutes = |at: i64| (now - at).max(0) / 60_000;
    let mut c = serde_json::json!({
        "iss": state.issuer_of(instance),
        "sub": u.id,
        "sid": s.id,
        "iat": iat,
        "nbf": iat - 10,
        "exp": iat + lifetime,
        "jti": crate::crypto::random_hex(10),
        "fva": [minutes(s.first_factor_at), s.second_factor_at.map(minutes).unwrap_or(-1)],
        "sts": match s.effective_status(now) {
            SessionStatus::Pending => SessionStatus::Pending,
            _ => SessionStatus::Active,
        },
        "v": 2,
    });
    if let Some(azp) = azp {
        c["azp"] = azp.into();
    }
    if let Some((o, m)) = org {
        let permissions = state
            .settings
            .role(&m.role)
            .map(|r| r.permissions.clone())
            .unwrap_or_default();
        // Custom permissions only, grouped by feature: `per` names them, `fpm` is one bitmask per
        // feature in `fea` order (the core packs them, as the library unpacks them).
        let packed = clerk_core::claims::compact_permissions(&permissions);
        c["o"] = serde_json::json!({
            "id": o.id,
            "slg": o.slug,
            "rol": m.role.strip_prefix("org:").unwrap_or(&m.role),
            "per": packed.per,
            "fpm": packed.fpm,
        });
        c["fea"] = packed
            .features
            .iter()
            .map(|f| format!("o:{f}"))
            .collect::<Vec<_>>()
            .join(",")
            .into();
    }
    c
}

/// A fresh session token for `sub`, remembered for `last_active_token` when it is for the
/// session's active organization (`remember`).
pub(crate) fn session_token(
    state: &AppState,
    sub: &Subject,
    origin: Option<&str>,
    now: i64,
    remember_it: bool,
) -> ApiResult<String> {
    let payload = claims(
        state,
        sub.instance,
        &sub.session,
        &sub.user,
        sub.org.as_ref(),
        origin,
        now,
    );
    let jwt = state.signer.sign(&payload, TokenCategory::Session)?;
    if remember_it {
        remember(state, &sub.session, origin, &jwt, now);
    }
    Ok(jwt)
}

/// A session token minted through the Backend API (`POST /v1/sessions/{id}/tokens`): no `azp`,
/// not remembered, and `exp` after `lifetime_secs` when given (else the instance's lifetime).
pub(crate) fn backend_session_token(
    state: &AppState,
    sub: &Subject,
    now: i64,
    lifetime_secs: Option<i64>,
) -> ApiResult<String> {
    let mut payload = claims(
        state,
        sub.instance,
        &sub.session,
        &sub.user,
        sub.org.as_ref(),
        None,
        now,
    );
    if let Some(secs) = lifetime_secs {
        payload["exp"] = (now / 1000 + secs).into();
    }
    state.signer.sign(&payload, TokenCategory::Session)
}

fn cache_key(s: &SessionRec, origin: Option<&str>) -> String {
    format!(
        "{}|{}|{}",
        s.id,
        s.last_active_org_id.as_deref().unwrap_or_default(),
        origin.unwrap_or_default()
    )
}

fn remember(state: &AppState, s: &SessionRec, origin: Option<&str>, jwt: &str, now: i64) {
    let mut cache = state.token_cache.lock().unwrap_or_else(|p| p.into_inner());
    if cache.len() > 10_000 {
        cache.clear();
    }
    cache.insert(cache_key(s, origin), (jwt.to_owned(), now));
}

/// Drops the remembered tokens of a session (it was ended or removed).
pub(crate) fn forget(state: &AppState, session_id: &str) {
    let mut cache = state.token_cache.lock().unwrap_or_else(|p| p.into_inner());
    cache.retain(|k, _| !k.starts_with(session_id));
}

/// The session's `last_active_token`: the last token minted for it (same organization and
/// origin) if under 5 s old and issued no earlier than the second of `not_before` (ms: the
/// client's last change, its `__client_uat`), else a new one.
pub(crate) fn cached_token(
    tx: &Tx,
    view: &crate::render::View,
    s: &SessionRec,
    u: &UserRec,
    not_before: i64,
) -> ApiResult<String> {
    let (state, instance, origin, now) = (view.state, view.instance, view.origin, view.now);
    let key = cache_key(s, origin);
    {
        let cache = state.token_cache.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((jwt, at)) = cache.get(&key) {
            let fresh = now - at < 5_000 && *at <= now;
            if fresh && at.div_euclid(1000) >= not_before.div_euclid(1000) {
                return Ok(jwt.clone());
            }
        }
    }
    let org = match &s.last_active_org_id {
        Some(id) => org_membership(tx, &u.id, id)?,
        None => None,
    };
    // A client's `updated_at` can run a few ms ahead of the clock (each change adds at least 1).
    let now = now.max(not_before);
    let jwt = state.signer.sign(
        &claims(state, instance, s, u, org.as_ref(), origin, now),
        TokenCategory::Session,
    )?;
    remember(state, s, origin, &jwt, now);
    Ok(jwt)
}

/// A token built from a JWT template of the seed: its claims with the shortcodes filled in
/// (`{{user.id}}`, `{{org.slug}}`, `{{session.id}}`…), plus the standard claims.
pub(crate) fn template_token(
    state: &AppState,
    template: &TemplateSeed,
    sub: &Subject,
    origin: Option<&str>,
    now: i64,
) -> ApiResult<String> {
    let iat = now / 1000;
    let (user, session) = (&sub.user, &sub.session);
    let mut vars = serde_json::Map::new();
    vars.insert("user.id".into(), user.id.clone().into());
    vars.insert("user.first_name".into(), user.first_name.clone().into());
    vars.insert("user.last_name".into(), user.last_name.clone().into());
    vars.insert("user.username".into(), user.username.clone().into());
    vars.insert(
        "user.primary_email_address".into(),
        user.primary_email().map(str::to_owned).into(),
    );
    vars.insert(
        "user.public_metadata".into(),
        user.public_metadata.clone().into(),
    );
    vars.insert(
        "user.unsafe_metadata".into(),
        user.unsafe_metadata.clone().into(),
    );
    vars.insert("session.id".into(), session.id.clone().into());
    let (oid, slug, oname, role) = match &sub.org {
        Some((o, mem)) => (
            Some(o.id.clone()),
            Some(o.slug.clone()),
            Some(o.name.clone()),
            Some(mem.role.clone()),
        ),
        None => (None, None, None, None),
    };
    vars.insert("org.id".into(), oid.into());
    vars.insert("org.slug".into(), slug.into());
    vars.insert("org.name".into(), oname.into());
    vars.insert("org.role".into(), role.into());
    let custom = serde_json::to_value(&template.claims)?;
    let mut payload = fill(&custom, &vars);
    let standard = serde_json::json!({
        "iss": state.issuer_of(sub.instance),
        "sub": user.id,
        "iat": iat,
        "nbf": iat - 10,
        "exp": iat + template.lifetime_seconds.max(1),
        "jti": crate::crypto::random_hex(10),
    });
    if let (Some(p), Some(std)) = (payload.as_object_mut(), standard.as_object()) {
        for (k, v) in std {
            p.insert(k.clone(), v.clone());
        }
        if let Some(azp) = origin {
            p.insert("azp".into(), azp.into());
        }
    }
    state.signer.sign(&payload, TokenCategory::JwtTemplate)
}

fn fill(
    value: &serde_json::Value,
    vars: &serde_json::Map<String, serde_json::Value>,
) -> serde_json::Value {
    match value {
        serde_json::Value::String(s) => {
            let trimmed = s.trim();
            if let Some(name) = trimmed
                .strip_prefix("{{")
                .and_then(|r| r.strip_suffix("}}"))
                .map(str::trim)
                .filter(|n| !n.contains("{{"))
            {
                if let Some(v) = vars.get(name) {
                    return v.clone();
                }
            }
            let mut out = s.clone();
            for (k, v) in vars {
                let text = match v {
                    serde_json::Value::String(t) => t.clone(),
                    serde_json::Value::Null => String::new(),
                    other => other.to_string(),
                };
                out = out.replace(&format!("{{{{{k}}}}}"), &text);
            }
            serde_json::Value::String(out)
        }
        serde_json::Value::Array(items) => items.iter().map(|i| fill(i, vars)).collect(),
        serde_json::Value::Object(map) => map
            .iter()
            .map(|(k, v)| (k.clone(), fill(v, vars)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
        other => other.clone(),
    }
}
