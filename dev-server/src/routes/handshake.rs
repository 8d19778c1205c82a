//! `GET /v1/client/handshake` (FAPI): the app's server sends a document request here when it
//! cannot tell the session state from its cookies; the answer is a 307 back to `redirect_url`
//! carrying the `Set-Cookie` directives the app's server forwards to the browser.
//!
//! - Development (`__clerk_db_jwt` in the query, or the reason `dev-browser-missing`): the
//!   payload and the dev browser go back in `redirect_url`'s query (`__clerk_handshake` or
//!   `__clerk_handshake_nonce`, and `__clerk_db_jwt`, which `@clerk/backend` strips once it has
//!   set the cookies). An unknown or missing dev browser gets a new one (signed out).
//! - Production (anything else: the `__client` cookie, or none): the payload goes as a cookie of
//!   that name, `redirect_url` unchanged.
//!
//! Signed in (the client's last active session), the directives set `__session` to a fresh
//! token for that session (`azp` = `redirect_url`'s origin), after switching it to
//! `organization_id` if given and the user is a member; signed out, they clear it.

use clerk_core::cookies::{DEV_BROWSER, HANDSHAKE, HANDSHAKE_NONCE};

use super::{client_of, touch_client};
use crate::cookies::{directives, DirectiveInput};
use crate::error::{ApiErr, ApiResult};
use crate::http::{Browser, Reply, Req};
use crate::store::{SessionRec, Tx, UserRec};
use crate::tokens::{self, Subject};
use crate::Instance;

/// How the payload travels.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    /// A signed JWT (`__clerk_handshake`), the spec's default.
    Token,
    /// A nonce (`__clerk_handshake_nonce`) for `GET /v1/clients/handshake_payload`.
    Nonce,
}

/// `redirect_url`: required, an absolute http(s) URL on an allowed origin (no open redirect).
/// Returns the URL and its origin.
fn redirect_target(req: &Req) -> ApiResult<(String, String)> {
    let url = req
        .query
        .text("redirect_url")
        .ok_or_else(|| ApiErr::missing("redirect_url"))?;
    // Printable ASCII only (browsers and `@clerk/backend` send it percent-encoded), so it is
    // always a valid `Location`.
    let origin = Some(&url)
        .filter(|u| u.bytes().all(|b| b.is_ascii_graphic()))
        .and_then(|u| clerk_core::redirect::origin_of(u))
        .ok_or_else(|| {
            ApiErr::invalid(
                "redirect_url",
                "redirect_url must be an absolute, percent-encoded http or https URL.",
            )
        })?;
    if !req.state.origin_allowed(&origin) {
        return Err(ApiErr::value_invalid(
            "redirect_url",
            &format!(
                "{origin} is not an allowed origin for this instance (http://localhost:*, \
                 http://127.0.0.1:* and --allowed-origin)."
            ),
        ));
    }
    Ok((url, origin))
}

fn format_of(req: &Req) -> ApiResult<Format> {
    match req.query.get("format").map(str::trim) {
        None | Some("token") => Ok(Format::Token),
        Some("nonce") => Ok(Format::Nonce),
        Some(_) => Err(ApiErr::value_invalid(
            "format",
            "format must be nonce or token.",
        )),
    }
}

/// `url` with `params` set in its query (replacing any of the same names), fragment kept.
fn with_query(url: &str, params: &[(&str, &str)]) -> String {
    let (base, fragment) = match url.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let (path, query) = base.split_once('?').unwrap_or((base, ""));
    let mut parts: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| {
            let key = p.split('=').next().unwrap_or_default();
            let key = form_urlencoded::parse(key.as_bytes())
                .next()
                .map(|(k, _)| k.into_owned())
                .unwrap_or_default();
            !params.iter().any(|(name, _)| *name == key)
        })
        .map(str::to_owned)
        .collect();
    for (name, value) in params {
        parts.push(
            form_urlencoded::Serializer::new(String::new())
                .append_pair(name, value)
                .finish(),
        );
    }
    let mut out = path.to_owned();
    if !parts.is_empty() {
        out.push('?');
        out.push_str(&parts.join("&"));
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// The request's dev browser, made anew when it is unknown or missing (a handshake is a page
/// navigation: it must end in a redirect, not a 401).
fn dev_browser(tx: &Tx, req: &mut Req) -> ApiResult<String> {
    if let Browser::Dev(token) = &req.browser {
        if tx.key(&format!("dvb:{token}"))?.is_some() {
            return Ok(token.clone());
        }
    }
    let token = format!("dvb_{}", crate::crypto::random_hex(20));
    tx.set_key(&format!("dvb:{token}"), "")?;
    req.browser = Browser::Dev(token.clone());
    Ok(token)
}

/// The signed-in session the handshake is for (the client's last active one), switched to
/// `organization_id` when asked and allowed; with the client's `__client_uat`.
fn signed_in(tx: &Tx, req: &Req, instance: Instance) -> ApiResult<Option<(Subject, i64)>> {
    let Some(mut c) = client_of(tx, req)? else {
        return Ok(None);
    };
    let now = req.state.now();
    let Some(mut s) = c
        .last_active_session_id
        .as_deref()
        .map(|id| tx.get::<SessionRec>(id))
        .transpose()?
        .flatten()
        .filter(|s| s.client_id == c.id && s.signed_in(now))
    else {
        return Ok(None);
    };
    let Some(user) = tx.get::<UserRec>(&s.user_id)? else {
        return Ok(None);
    };
    if let Some(value) = req.query.get("organization_id") {
        // The spec: an organization that does not exist or lacks the user leaves the session's
        // organization as it is.
        let wanted = match crate::org_rules::resolve_active_org(tx, &s.user_id, value) {
            Ok(org) => Some(org),
            Err(e) if e.status == axum::http::StatusCode::NOT_FOUND => None,
            Err(e) => return Err(e),
        };
        let forced = req
            .state
            .settings
            .seed
            .organizations
            .force_organization_selection;
        if let Some(org) = wanted.filter(|o| o.is_some() || !forced) {
            if org != s.last_active_org_id {
                crate::sessions::set_active_org(&mut s, org);
                s.updated_at = now;
                tx.put(&s)?;
                touch_client(tx, req, &mut c)?;
            }
        }
    }
    let org = match &s.last_active_org_id {
        Some(id) => tokens::org_membership(tx, &user.id, id)?,
        None => None,
    };
    let uat = c.updated_at.div_euclid(1000);
    Ok(Some((
        Subject {
            session: s,
            user,
            org,
            instance,
        },
        uat,
    )))
}

/// `GET /v1/client/handshake`: parameters `redirect_url` (required), `format` (`token` |
/// `nonce`), `suffixed_cookies`, `organization_id`, `__clerk_db_jwt`, `__clerk_hs_reason`;
/// `__session`, `__clerk_api_version` and `satellite_fapi` are ignored.
pub fn handshake(req: &mut Req) -> ApiResult<Reply> {
    let (redirect_url, app_origin) = redirect_target(req)?;
    let format = format_of(req)?;
    let suffixed = req.query.flag("suffixed_cookies")?.unwrap_or(false);
    let reason = req.query.text("__clerk_hs_reason").unwrap_or_default();
    let dev_token = req
        .query
        .text(DEV_BROWSER)
        .or_else(|| req.query.text("__dev_session"));
    let instance = if dev_token.is_some() || reason == "dev-browser-missing" {
        Instance::Development
    } else {
        Instance::Production
    };
    // The query alone decides: a `__clerk_db_jwt` cookie left on the shared host by another app
    // must not turn a production handshake into a development one.
    req.browser = match (instance, dev_token, req.client_cookie.clone()) {
        (Instance::Development, token, _) => Browser::Dev(token.unwrap_or_default()),
        (Instance::Production, _, Some(cookie)) => Browser::Cookie(cookie),
        (Instance::Production, _, None) => Browser::None,
    };
    let state = req.state.clone();
    let (dev, subject) = state.db.tx(|tx| {
        let dev = match instance {
            Instance::Development => Some(dev_browser(tx, req)?),
            Instance::Production => None,
        };
        Ok((dev, signed_in(tx, req, instance)?))
    })?;
    let now = state.now();
    let (token, client_uat) = match &subject {
        Some((sub, uat)) => (
            Some(tokens::session_token(
                &state,
                sub,
                Some(&app_origin),
                now,
                true,
            )?),
            *uat,
        ),
        None => (None, 0),
    };
    let list = directives(
        &state,
        &DirectiveInput {
            instance,
            session_token: token.as_deref(),
            client_uat,
            dev_browser: dev.as_deref(),
            suffixed,
            secure: app_origin.starts_with("https://"),
        },
    );
    eprintln!(
        "[clerk-dev-server] handshake ({}): {instance:?}, {}",
        if reason.is_empty() {
            "no reason"
        } else {
            &reason
        },
        if token.is_some() {
            "signed in"
        } else {
            "signed out"
        }
    );
    let (name, payload) = match format {
        Format::Token => (HANDSHAKE, crate::handshake::token(&state, &list)?),
        Format::Nonce => (
            HANDSHAKE_NONCE,
            crate::handshake::store_nonce(&state, list, now),
        ),
    };
    Ok(match (instance, dev) {
        (Instance::Development, Some(dev)) => Reply::redirect(with_query(
            &redirect_url,
            &[(name, &payload), (DEV_BROWSER, &dev)],
        )),
        _ => {
            let mut reply = Reply::redirect(redirect_url);
            reply
                .cookies
                .push(crate::cookies::fapi_handshake(name, &payload, req.secure));
            reply
        }
    })
}

#[cfg(test)]
mod tests {
    use super::with_query;

    #[test]
    fn with_query_replaces_and_appends() {
        assert_eq!(
            with_query("http://a:1/p", &[("x", "1 2")]),
            "http://a:1/p?x=1+2"
        );
        assert_eq!(
            with_query("http://a:1/p?y=%20&x=old#frag", &[("x", "new")]),
            "http://a:1/p?y=%20&x=new#frag"
        );
        assert_eq!(
            with_query("http://a:1/?__clerk_db_jwt=a", &[("__clerk_db_jwt", "b")]),
            "http://a:1/?__clerk_db_jwt=b"
        );
    }
}
