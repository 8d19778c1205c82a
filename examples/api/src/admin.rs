//! The admin page's API: the instance's users through the Backend API ([`ClerkClient`], from the
//! [`Clerk`] extractor: the client of the `ClerkLayer` in front), for `org:admin`s of the active
//! organization only (`SignedInAuth::protect`: 401 signed out, 403 for everyone else).
//!
//! - `GET /api/admin/users?query=&limit=&offset=`: a page of users (`users().list`: the list and
//!   the count together), `query` matching emails, names, usernames and ids partially;
//!   `{data: [{id, email, first_name, last_name, public_metadata}], total_count, limit, offset}`.
//! - `POST /api/admin/users/{id}/metadata` with `{"public_metadata": {…}}`: deep-merged into the
//!   user's public metadata (`users().update_metadata`; a `null` deletes its key); answers the
//!   user as in the list.
//!
//! Clerk's errors come back with their status and envelope (a 404 for an unknown user, a 422 for
//! a bad body).

use axum::Json;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use clerk_backend::api::{ClerkApiError, ClerkClient, User, UserListParams};
use clerk_backend::axum::{Clerk, SignedInAuth};
use clerk_backend::core::authz::Has;
use serde::Deserialize;
use serde_json::{Value, json};

/// The query of `GET /api/admin/users`.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub query: Option<String>,
    #[serde(default)]
    pub limit: Option<i64>,
    #[serde(default)]
    pub offset: Option<i64>,
}

/// Page size when none is given, and the most one page may hold.
pub const DEFAULT_LIMIT: i64 = 10;
pub const MAX_LIMIT: i64 = 100;

impl ListQuery {
    /// Clerk's list parameters: an empty query is none, the limit within 1..=100, the offset ≥ 0,
    /// newest first.
    pub fn params(&self) -> UserListParams {
        UserListParams {
            query: self
                .query
                .as_deref()
                .map(str::trim)
                .filter(|q| !q.is_empty())
                .map(str::to_owned),
            limit: Some(self.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT)),
            offset: Some(self.offset.unwrap_or(0).max(0)),
            order_by: Some("-created_at".into()),
            ..Default::default()
        }
    }
}

/// A user as the admin page shows it.
pub fn user_json(user: &User) -> Value {
    json!({
        "id": user.id,
        "email": user.primary_email_address(),
        "first_name": user.first_name,
        "last_name": user.last_name,
        "public_metadata": user.public_metadata,
    })
}

/// A Backend API error with its own status and errors (a network failure is a 502).
fn upstream(e: ClerkApiError) -> Response {
    let status = e
        .status
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::BAD_GATEWAY);
    let errors: Vec<Value> = e
        .errors
        .iter()
        .map(|i| json!({ "code": i.code, "message": i.message, "long_message": i.long_message, "meta": i.meta }))
        .collect();
    (status, Json(json!({ "errors": errors }))).into_response()
}

/// The refusal for anyone but an admin of the active organization, if any.
fn refused(auth: &SignedInAuth) -> Option<Response> {
    auth.protect(&Has::role("org:admin"))
        .err()
        .map(IntoResponse::into_response)
}

/// `GET /api/admin/users`.
pub async fn list_users(
    auth: SignedInAuth,
    Clerk(clerk): Clerk,
    Query(q): Query<ListQuery>,
) -> Response {
    if let Some(r) = refused(&auth) {
        return r;
    }
    list(&clerk, &q).await.unwrap_or_else(upstream)
}

async fn list(clerk: &ClerkClient, q: &ListQuery) -> Result<Response, ClerkApiError> {
    let params = q.params();
    let page = clerk.users().get_user_list(&params).await?;
    Ok(Json(json!({
        "data": page.data.iter().map(user_json).collect::<Vec<_>>(),
        "total_count": page.total_count,
        "limit": params.limit,
        "offset": params.offset,
    }))
    .into_response())
}

/// The body of `POST /api/admin/users/{id}/metadata`.
#[derive(Debug, Deserialize)]
pub struct MetadataBody {
    pub public_metadata: serde_json::Map<String, Value>,
}

/// `POST /api/admin/users/{id}/metadata`.
pub async fn set_metadata(
    auth: SignedInAuth,
    Clerk(clerk): Clerk,
    Path(user_id): Path<String>,
    body: Result<Json<MetadataBody>, axum::extract::rejection::JsonRejection>,
) -> Response {
    if let Some(r) = refused(&auth) {
        return r;
    }
    let Json(body) = match body {
        Ok(b) => b,
        Err(e) => {
            let errors = json!({ "errors": [{ "code": "form_param_invalid",
                "message": "The body must be {\"public_metadata\": {…}}.", "long_message": e.body_text() }] });
            return (StatusCode::UNPROCESSABLE_ENTITY, Json(errors)).into_response();
        }
    };
    match clerk
        .users()
        .update_user_metadata(
            &user_id,
            json!({ "public_metadata": Value::Object(body.public_metadata) }),
        )
        .await
    {
        Ok(user) => Json(user_json(&user)).into_response(),
        Err(e) => upstream(e),
    }
}
