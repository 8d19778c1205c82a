//! The routes: one module per resource, and the helpers they share. FAPI's modules take the
//! browser's client from [`Req`]; the Backend API's routes live in [`bapi`], behind its secret
//! key.

pub mod account;
pub mod bapi;
pub mod client;
pub mod dev;
pub mod dev_webhooks;
pub mod handshake;
pub mod identifications;
pub mod me;
pub mod mfa;
pub mod org_settings;
pub mod orgs;
pub mod session;
pub mod sign_in;
pub mod sign_up;

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{delete, get, patch, post};
use axum::Router;
use clerk_core::wire::ErrorCode;
use serde::Serialize;

use crate::error::{ApiErr, ApiResult};
use crate::http::{cors, loopback_host_only, method_override, run, Browser, Reply, Req};
use crate::render::View;
use crate::store::{ClientRec, MembershipRec, OrgRec, SessionRec, Tx, UserRec};
use crate::AppState;

/// A handler: a synchronous function run on the blocking pool.
type H = fn(&mut Req) -> ApiResult<Reply>;

fn h(
    f: H,
) -> impl Fn(
    Req,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = axum::response::Response> + Send>>
       + Clone
       + Send
       + Sync
       + 'static {
    move |req: Req| Box::pin(run(req, f))
}

/// The whole service: FAPI under `/v1`, the Backend API under `/v1` too (`bapi::routes`,
/// secret key required), the public JWKS, dev-only endpoints under `/v1/__dev`, CORS and the
/// `_method` override. Unknown paths answer 404 and wrong methods 405, both in Clerk's
/// error envelope.
pub fn app(state: AppState) -> Router {
    crate::webhooks::start(&state);
    let v1 = Router::new()
        .route("/dev_browser", post(h(client::create_dev_browser)))
        .route(
            "/environment",
            get(h(client::environment)).patch(h(client::environment)),
        )
        .route(
            "/client",
            get(h(client::get))
                .put(h(client::create))
                .post(h(client::create))
                .delete(h(client::destroy)),
        )
        .route("/client/sessions", delete(h(client::remove_sessions)))
        .route("/client/handshake", get(h(handshake::handshake)))
        .route("/client/sessions/{session_id}", get(h(session::get)))
        .route(
            "/client/sessions/{session_id}/touch",
            post(h(session::touch)),
        )
        .route("/client/sessions/{session_id}/end", post(h(session::end)))
        .route(
            "/client/sessions/{session_id}/remove",
            post(h(session::remove)),
        )
        .route(
            "/client/sessions/{session_id}/tokens",
            post(h(session::token)),
        )
        .route(
            "/client/sessions/{session_id}/tokens/{template_name}",
            post(h(session::template_token)),
        )
        .route("/client/sign_ins", post(h(sign_in::create)))
        .route("/client/sign_ins/{sign_in_id}", get(h(sign_in::get)))
        .route(
            "/client/sign_ins/{sign_in_id}/prepare_first_factor",
            post(h(sign_in::prepare_first)),
        )
        .route(
            "/client/sign_ins/{sign_in_id}/attempt_first_factor",
            post(h(sign_in::attempt_first)),
        )
        .route(
            "/client/sign_ins/{sign_in_id}/prepare_second_factor",
            post(h(sign_in::prepare_second)),
        )
        .route(
            "/client/sign_ins/{sign_in_id}/attempt_second_factor",
            post(h(sign_in::attempt_second)),
        )
        .route(
            "/client/sign_ins/{sign_in_id}/reset_password",
            post(h(sign_in::reset_password)),
        )
        .route("/client/sign_ups", post(h(sign_up::create)))
        .route(
            "/client/sign_ups/{sign_up_id}",
            get(h(sign_up::get)).patch(h(sign_up::update)),
        )
        .route(
            "/client/sign_ups/{sign_up_id}/prepare_verification",
            post(h(sign_up::prepare)),
        )
        .route(
            "/client/sign_ups/{sign_up_id}/attempt_verification",
            post(h(sign_up::attempt)),
        )
        .route(
            "/me",
            get(h(me::get)).patch(h(me::update)).delete(h(me::delete)),
        )
        .route("/me/organization_memberships", get(h(me::memberships)))
        .route(
            "/me/organization_memberships/{organization_id}",
            delete(h(me::leave)),
        )
        .route("/me/organization_invitations", get(h(me::invitations)))
        .route(
            "/me/organization_invitations/{invitation_id}/accept",
            post(h(me::accept_invitation)),
        )
        .route("/organizations", post(h(orgs::create)))
        .route(
            "/me/email_addresses",
            get(h(identifications::list_emails)).post(h(identifications::create_email)),
        )
        .route(
            "/me/email_addresses/{email_id}",
            get(h(identifications::get_email)).delete(h(identifications::delete_email)),
        )
        .route(
            "/me/email_addresses/{email_id}/prepare_verification",
            post(h(identifications::prepare_email)),
        )
        .route(
            "/me/email_addresses/{email_id}/attempt_verification",
            post(h(identifications::attempt_email)),
        )
        .route(
            "/me/phone_numbers",
            get(h(identifications::list_phones)).post(h(identifications::create_phone)),
        )
        .route(
            "/me/phone_numbers/{phone_number_id}",
            get(h(identifications::get_phone)).delete(h(identifications::delete_phone)),
        )
        .route(
            "/me/phone_numbers/{phone_number_id}/prepare_verification",
            post(h(identifications::prepare_phone)),
        )
        .route(
            "/me/phone_numbers/{phone_number_id}/attempt_verification",
            post(h(identifications::attempt_phone)),
        )
        .route(
            "/me/totp",
            post(h(mfa::create_totp)).delete(h(mfa::delete_totp)),
        )
        .route("/me/totp/attempt_verification", post(h(mfa::verify_totp)))
        .route("/me/backup_codes", post(h(mfa::create_backup_codes)))
        .route("/me/change_password", post(h(account::change_password)))
        .route("/me/sessions/active", get(h(account::active)))
        .route("/me/sessions/{session_id}/revoke", post(h(account::revoke)))
        .route(
            "/organizations/{organization_id}",
            get(h(orgs::get))
                .patch(h(org_settings::update))
                .delete(h(org_settings::destroy)),
        )
        .route(
            "/organizations/{organization_id}/roles",
            get(h(org_settings::roles)),
        )
        .route(
            "/organizations/{organization_id}/memberships",
            get(h(orgs::memberships)),
        )
        .route(
            "/organizations/{organization_id}/memberships/{user_id}",
            patch(h(orgs::update_member)).delete(h(orgs::remove_member)),
        )
        .route(
            "/organizations/{organization_id}/invitations",
            get(h(orgs::invitations)).post(h(orgs::invite)),
        )
        .route(
            "/organizations/{organization_id}/invitations/{invitation_id}/revoke",
            post(h(orgs::revoke_invitation)),
        )
        .route("/health", get(h(client::health)))
        .route("/.well-known/jwks.json", get(h(client::jwks)))
        .route("/__dev/codes", get(h(dev::codes)))
        .route("/__dev/instance", get(h(dev::instance)))
        .route("/__dev/pause", post(h(dev::pause)))
        .route("/__dev/webhooks", get(h(dev_webhooks::list)))
        .route(
            "/__dev/webhooks/{msg_id}/replay",
            post(h(dev_webhooks::replay)),
        )
        .merge(bapi::routes());
    let inner = Router::new()
        .nest("/v1", v1)
        .route("/.well-known/jwks.json", get(h(client::jwks)))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state.clone());
    // requests with the secret key go to the Backend API's router (some of its paths are FAPI's)
    let inner = bapi::dispatch(inner, bapi::router(state.clone()));
    let inner = tower::ServiceBuilder::new()
        .map_request(method_override)
        .service(inner);
    Router::new()
        .fallback_service(inner)
        .layer(axum::middleware::from_fn_with_state(state.clone(), cors))
        .layer(axum::middleware::from_fn(loopback_host_only))
        .with_state(state)
}

async fn not_found() -> axum::response::Response {
    ApiErr::new(
        StatusCode::NOT_FOUND,
        ErrorCode::ResourceNotFound,
        "not found",
        "The requested resource was not found.",
    )
    .into_response()
}

async fn method_not_allowed() -> axum::response::Response {
    ApiErr::new(
        StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::MethodNotAllowed,
        "method not allowed",
        "This request method is not allowed for this path.",
    )
    .into_response()
}

/// A view for rendering this request.
pub fn view(req: &Req) -> View<'_> {
    View {
        state: &req.state,
        now: req.state.now(),
        origin: req.origin.as_deref(),
        instance: req.instance(),
    }
}

/// The client of the request, if it has one. An unknown dev-browser token is a 401
/// `dev_browser_unauthenticated` (clerk-js then makes a new dev browser).
pub fn client_of(tx: &Tx, req: &Req) -> ApiResult<Option<ClientRec>> {
    let id =
        match &req.browser {
            Browser::Dev(token) => match tx.key(&format!("dvb:{token}"))? {
                Some(id) => id,
                None => return Err(ApiErr::new(
                    StatusCode::UNAUTHORIZED,
                    ErrorCode::DevBrowserUnauthenticated,
                    "Dev browser unauthenticated",
                    "Unable to authenticate the dev browser: create one with POST /v1/dev_browser.",
                )),
            },
            Browser::Cookie(token) => match tx.key(&format!("cli:{token}"))? {
                Some(id) => id,
                None => return Ok(None),
            },
            Browser::None => return Ok(None),
        };
    if id.is_empty() {
        return Ok(None);
    }
    tx.get::<ClientRec>(&id)
}

/// The request's client, created (and attached to its dev browser or a new `__client` cookie)
/// when it has none.
pub fn ensure_client(tx: &Tx, req: &mut Req) -> ApiResult<ClientRec> {
    if let Some(c) = client_of(tx, req)? {
        return Ok(c);
    }
    new_client(tx, req)
}

/// A fresh client for the request, replacing any it had.
pub fn new_client(tx: &Tx, req: &mut Req) -> ApiResult<ClientRec> {
    let now = req.state.now();
    let c = ClientRec {
        id: crate::crypto::new_id("client"),
        created_at: now,
        updated_at: now,
        ..Default::default()
    };
    tx.put(&c)?;
    match &req.browser {
        Browser::Dev(token) => tx.set_key(&format!("dvb:{token}"), &c.id)?,
        _ => {
            let token = crate::crypto::random_hex(32);
            tx.set_key(&format!("cli:{token}"), &c.id)?;
            req.set_cookies
                .push(crate::cookies::fapi_client(&token, req.secure));
            req.browser = Browser::Cookie(token);
        }
    }
    Ok(c)
}

/// `{response, client}` with the client as it is now (and its `__client_uat` value).
pub fn envelope<T: Serialize>(tx: &Tx, req: &Req, response: &T, c: &ClientRec) -> ApiResult<Reply> {
    let v = view(req);
    let client = crate::render::client(tx, &v, c)?;
    let mut reply = Reply::json(&serde_json::json!({ "response": response, "client": client }))?;
    reply.client_uat = Some(client_uat(&client, c));
    Ok(reply)
}

/// The client's `__client_uat` value: its `updated_at` in Unix seconds when it has a signed-in
/// session, else 0.
pub fn client_uat(rendered: &clerk_core::wire::Client, c: &ClientRec) -> i64 {
    if rendered.sessions.is_empty() {
        0
    } else {
        c.updated_at.div_euclid(1000)
    }
}

/// The signed-in session a `/me` or `/organizations` request acts for: `_clerk_session_id`, else
/// the client's last active session.
pub fn current_session(tx: &Tx, req: &Req) -> ApiResult<(ClientRec, SessionRec)> {
    let c = client_of(tx, req)?.ok_or_else(ApiErr::signed_out)?;
    let now = req.state.now();
    let id = req
        .query
        .text("_clerk_session_id")
        .or_else(|| c.last_active_session_id.clone())
        .ok_or_else(ApiErr::signed_out)?;
    let s = tx
        .get::<SessionRec>(&id)?
        .filter(|s| s.client_id == c.id && s.signed_in(now))
        .ok_or_else(ApiErr::signed_out)?;
    Ok((c, s))
}

/// The signed-in user of the request, with its client and session.
pub fn signed_in_user(tx: &Tx, req: &Req) -> ApiResult<(ClientRec, SessionRec, UserRec)> {
    let (c, s) = current_session(tx, req)?;
    let u = tx
        .get::<UserRec>(&s.user_id)?
        .ok_or_else(ApiErr::signed_out)?;
    Ok((c, s, u))
}

/// The organization of the path (`organization_id`: id or slug) and the signed-in user's
/// membership in it.
pub fn member_org(tx: &Tx, req: &Req) -> ApiResult<(ClientRec, SessionRec, OrgRec, MembershipRec)> {
    let (c, s) = current_session(tx, req)?;
    let (org, m) = crate::org_rules::member_org(tx, &s.user_id, req.param("organization_id"))?;
    Ok((c, s, org, m))
}

/// Saves the client with a new `updated_at`.
pub fn touch_client(tx: &Tx, req: &Req, c: &mut ClientRec) -> ApiResult<()> {
    c.updated_at = req.state.now().max(c.updated_at + 1);
    tx.put(c)
}
