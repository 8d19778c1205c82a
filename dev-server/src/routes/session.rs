//! Sessions: read, touch (switch organization), end, remove, and session tokens.

use axum::http::StatusCode;
use clerk_core::wire::{ErrorCode, Token};

use super::{client_of, envelope, touch_client, view};
use crate::error::{ApiErr, ApiResult};
use crate::http::{Reply, Req};
use crate::render::View;
use crate::store::{ClientRec, MembershipRec, OrgRec, SessionRec, Tx, UserRec};
use crate::AppState;

/// The session of the path, which must belong to the request's client.
fn path_session(tx: &Tx, req: &Req) -> ApiResult<(ClientRec, SessionRec)> {
    let c = client_of(tx, req)?.ok_or_else(ApiErr::signed_out)?;
    let s = tx
        .get::<SessionRec>(req.param("session_id"))?
        .filter(|s| s.client_id == c.id)
        .ok_or_else(|| ApiErr::not_found("session"))?;
    Ok((c, s))
}

fn inactive(s: &SessionRec, now: i64) -> ApiErr {
    ApiErr::new(
        StatusCode::UNAUTHORIZED,
        ErrorCode::SignedOut,
        "Signed out",
        &format!("This session is {}.", s.effective_status(now)),
    )
}

/// `GET /v1/client/sessions/{id}`.
pub fn get(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    req.state.db.tx(|tx| {
        let (c, s) = path_session(tx, req)?;
        let rendered = crate::render::session(tx, &view(req), &s)?;
        envelope(tx, req, &rendered, &c)
    })
}

/// Resolves `active_organization_id` (id or slug; empty = personal) for a user.
fn resolve_org(tx: &Tx, user_id: &str, value: &str) -> ApiResult<Option<String>> {
    let value = value.trim();
    if value.is_empty() || value == "null" {
        return Ok(None);
    }
    let org_id = if value.starts_with("org_") {
        value.to_owned()
    } else {
        tx.key(&format!("slug:{}", value.to_lowercase()))?
            .unwrap_or_default()
    };
    let member = tx
        .by_b::<MembershipRec>(user_id)?
        .into_iter()
        .any(|m| m.org_id == org_id);
    if !member {
        return Err(ApiErr::not_found("organization").param("active_organization_id"));
    }
    Ok(Some(org_id))
}

/// `POST /v1/client/sessions/{id}/touch`: marks the session active and may switch its
/// organization (`active_organization_id`: id or slug, empty for the personal account).
pub fn touch(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    if let Some(intent) = req.form.text("intent") {
        if !matches!(intent.as_str(), "focus" | "select_session" | "select_org") {
            return Err(ApiErr::value_invalid(
                "intent",
                "intent must be focus, select_session or select_org.",
            ));
        }
    }
    let state = &req.state;
    state.db.tx(|tx| {
        let (mut c, mut s) = path_session(tx, req)?;
        let now = state.now();
        if !s.signed_in(now) {
            return Err(inactive(&s, now));
        }
        if let Some(value) = req.form.get("active_organization_id") {
            let org = resolve_org(tx, &s.user_id, value)?;
            if org.is_none()
                && state
                    .settings
                    .seed
                    .organizations
                    .force_organization_selection
            {
                return Err(ApiErr::value_invalid(
                    "active_organization_id",
                    "This instance requires an active organization.",
                ));
            }
            s.last_active_org_id = org;
            if s.last_active_org_id.is_some() {
                s.tasks.retain(|t| t != "choose-organization");
                if s.tasks.is_empty() && s.status == "pending" {
                    s.status = "active".into();
                }
            }
        }
        s.last_active_at = now;
        extend_abandon(state, &mut s);
        s.updated_at = now;
        tx.put(&s)?;
        c.last_active_session_id = Some(s.id.clone());
        touch_client(tx, req, &mut c)?;
        let rendered = crate::render::session(tx, &view(req), &s)?;
        envelope(tx, req, &rendered, &c)
    })
}

fn extend_abandon(state: &AppState, s: &mut SessionRec) {
    let inactivity = state.settings.seed.instance.inactivity_timeout_seconds;
    s.abandon_at = if inactivity > 0 {
        (s.last_active_at + inactivity * 1000).min(s.expire_at)
    } else {
        s.expire_at
    };
}

fn close(req: &Req, status: &str) -> ApiResult<Reply> {
    req.state.db.tx(|tx| {
        let (mut c, mut s) = path_session(tx, req)?;
        let now = req.state.now();
        if s.signed_in(now) {
            s.status = status.into();
            s.updated_at = now;
            tx.put(&s)?;
        }
        if c.last_active_session_id.as_deref() == Some(&s.id) {
            c.last_active_session_id = None;
        }
        touch_client(tx, req, &mut c)?;
        forget_tokens(&req.state, &s.id);
        let rendered = crate::render::session(tx, &view(req), &s)?;
        envelope(tx, req, &rendered, &c)
    })
}

/// `POST /v1/client/sessions/{id}/end`: signs the session out (status `ended`).
pub fn end(req: &mut Req) -> ApiResult<Reply> {
    close(req, "ended")
}

/// `POST /v1/client/sessions/{id}/remove`: removes the session (status `removed`).
pub fn remove(req: &mut Req) -> ApiResult<Reply> {
    close(req, "removed")
}

fn forget_tokens(state: &AppState, session_id: &str) {
    let mut cache = state.token_cache.lock().unwrap_or_else(|p| p.into_inner());
    cache.retain(|k, _| !k.starts_with(session_id));
}

/// Everything a token needs, read in one transaction so signing happens outside it.
struct Minting {
    session: SessionRec,
    user: UserRec,
    org: Option<(OrgRec, MembershipRec)>,
}

fn load_for_token(tx: &Tx, req: &Req) -> ApiResult<Minting> {
    let (_, mut s) = path_session(tx, req)?;
    let now = req.state.now();
    if !s.signed_in(now) {
        return Err(inactive(&s, now));
    }
    // Refreshing tokens is activity: it keeps the session from being abandoned. Saved at most
    // once a minute, so minting stays read-only almost always.
    if now - s.last_active_at > 60_000 {
        s.last_active_at = now;
        extend_abandon(&req.state, &mut s);
        tx.put(&s)?;
    }
    let user = tx
        .get::<UserRec>(&s.user_id)?
        .ok_or_else(|| inactive(&s, now))?;
    let org_id = match req.form.get("organization_id") {
        None => s.last_active_org_id.clone(),
        Some(v) if v.trim().is_empty() => None,
        Some(v) => Some(v.trim().to_owned()),
    };
    let org = match org_id {
        None => None,
        Some(id) => Some(org_membership(tx, &user.id, &id)?.ok_or_else(|| {
            ApiErr::not_found("organization membership").param("organization_id")
        })?),
    };
    Ok(Minting {
        session: s,
        user,
        org,
    })
}

fn org_membership(
    tx: &Tx,
    user_id: &str,
    org_id: &str,
) -> ApiResult<Option<(OrgRec, MembershipRec)>> {
    let Some(m) = tx
        .by_b::<MembershipRec>(user_id)?
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
        "iss": state.issuer(),
        "sub": u.id,
        "sid": s.id,
        "iat": iat,
        "nbf": iat - 10,
        "exp": iat + lifetime,
        "jti": crate::crypto::random_hex(10),
        "fva": [minutes(s.first_factor_at), s.second_factor_at.map(minutes).unwrap_or(-1)],
        "sts": if s.effective_status(now) == "pending" { "pending" } else { "active" },
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

/// `POST /v1/client/sessions/{id}/tokens`: a fresh session token (`organization_id`: absent =
/// the session's active organization, empty = personal account).
pub fn token(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    let m = req.state.db.tx(|tx| load_for_token(tx, req))?;
    let now = req.state.now();
    let payload = claims(
        &req.state,
        &m.session,
        &m.user,
        m.org.as_ref(),
        req.origin.as_deref(),
        now,
    );
    let jwt = req.state.signer.sign(&payload);
    if req.form.get("organization_id").is_none() {
        remember(&req.state, &m.session, req.origin.as_deref(), &jwt, now);
    }
    Reply::json(&Token { jwt })
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

/// The session's `last_active_token`: the last token minted for it (same organization and
/// origin) if under 5 s old, else a new one.
pub fn cached_token(tx: &Tx, view: &View, s: &SessionRec, u: &UserRec) -> ApiResult<String> {
    let key = cache_key(s, view.origin);
    {
        let cache = view
            .state
            .token_cache
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some((jwt, at)) = cache.get(&key) {
            if view.now - at < 5_000 && *at <= view.now {
                return Ok(jwt.clone());
            }
        }
    }
    let org = match &s.last_active_org_id {
        Some(id) => org_membership(tx, &u.id, id)?,
        None => None,
    };
    let jwt = view.state.signer.sign(&claims(
        view.state,
        s,
        u,
        org.as_ref(),
        view.origin,
        view.now,
    ));
    remember(view.state, s, view.origin, &jwt, view.now);
    Ok(jwt)
}

/// `POST /v1/client/sessions/{id}/tokens/{template}`: a token built from a JWT template of the
/// seed. Shortcodes: `{{user.id}}`, `{{user.first_name}}`, `{{user.last_name}}`,
/// `{{user.username}}`, `{{user.primary_email_address}}`, `{{user.public_metadata}}`,
/// `{{user.unsafe_metadata}}`, `{{org.id}}`, `{{org.slug}}`, `{{org.name}}`, `{{org.role}}`,
/// `{{session.id}}`.
pub fn template_token(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    let name = req.param("template_name").to_owned();
    let template = req
        .state
        .settings
        .template(&name)
        .cloned()
        .ok_or_else(|| ApiErr::not_found("JWT template"))?;
    let m = req.state.db.tx(|tx| load_for_token(tx, req))?;
    let now = req.state.now();
    let iat = now / 1000;
    let mut vars = serde_json::Map::new();
    vars.insert("user.id".into(), m.user.id.clone().into());
    vars.insert("user.first_name".into(), m.user.first_name.clone().into());
    vars.insert("user.last_name".into(), m.user.last_name.clone().into());
    vars.insert("user.username".into(), m.user.username.clone().into());
    vars.insert(
        "user.primary_email_address".into(),
        m.user.primary_email().map(str::to_owned).into(),
    );
    vars.insert(
        "user.public_metadata".into(),
        m.user.public_metadata.clone().into(),
    );
    vars.insert(
        "user.unsafe_metadata".into(),
        m.user.unsafe_metadata.clone().into(),
    );
    vars.insert("session.id".into(), m.session.id.clone().into());
    let (oid, slug, oname, role) = match &m.org {
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
        "iss": req.state.issuer(),
        "sub": m.user.id,
        "iat": iat,
        "nbf": iat - 10,
        "exp": iat + template.lifetime_seconds.max(1),
        "jti": crate::crypto::random_hex(10),
    });
    if let (Some(p), Some(std)) = (payload.as_object_mut(), standard.as_object()) {
        for (k, v) in std {
            p.insert(k.clone(), v.clone());
        }
        if let Some(azp) = &req.origin {
            p.insert("azp".into(), azp.clone().into());
        }
    }
    Reply::json(&Token {
        jwt: req.state.signer.sign(&payload),
    })
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

/// Creates a session for a user who just signed in or up on a client: single-session mode
/// replaces the client's other sessions; with forced organization selection a user without
/// an organization gets a `choose-organization` task (status `pending`).
pub fn create(
    tx: &Tx,
    req: &Req,
    c: &mut ClientRec,
    u: &mut UserRec,
    first_factor_at: i64,
    second_factor_at: Option<i64>,
    strategy: &str,
) -> ApiResult<SessionRec> {
    let state = &req.state;
    let now = state.now();
    let inst = &state.settings.seed.instance;
    for mut other in tx.by_a::<SessionRec>(&c.id)? {
        if other.signed_in(now) && (inst.single_session_mode || other.user_id == u.id) {
            other.status = if inst.single_session_mode {
                "replaced".into()
            } else {
                "ended".into()
            };
            other.updated_at = now;
            tx.put(&other)?;
        }
    }
    let memberships = tx.by_b::<MembershipRec>(&u.id)?;
    let orgs = &state.settings.seed.organizations;
    let (org, tasks) = if orgs.enabled && orgs.force_organization_selection {
        match memberships.first() {
            Some(m) => (Some(m.org_id.clone()), vec![]),
            None => (None, vec!["choose-organization".to_owned()]),
        }
    } else {
        (None, vec![])
    };
    let mut s = SessionRec {
        id: crate::crypto::new_id("sess"),
        client_id: c.id.clone(),
        user_id: u.id.clone(),
        status: if tasks.is_empty() {
            "active"
        } else {
            "pending"
        }
        .into(),
        tasks,
        last_active_org_id: org,
        last_active_at: now,
        expire_at: now + inst.session_lifetime_seconds * 1000,
        abandon_at: 0,
        first_factor_at,
        second_factor_at,
        created_at: now,
        updated_at: now,
    };
    extend_abandon(state, &mut s);
    tx.put(&s)?;
    u.last_sign_in_at = Some(now);
    u.last_active_at = Some(now);
    u.failed_attempts = 0;
    u.locked_until = None;
    u.updated_at = now;
    tx.put(u)?;
    c.last_active_session_id = Some(s.id.clone());
    c.last_authentication_strategy = Some(strategy.to_owned());
    touch_client(tx, req, c)?;
    Ok(s)
}
