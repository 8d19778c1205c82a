//! `sessions`: list, get, revoke, tokens.

use reqwest::Method;
use serde_json::{Value, json};

use super::users::seg;
use super::{ClerkApiError, ClerkClient, Query, Session, SessionStatus, Token};

/// The filters of `GET /sessions`: one of `user_id` or `client_id`.
///
/// ```
/// let p = clerk_backend::api::SessionListParams { user_id: Some("user_1".into()), ..Default::default() };
/// assert!(p.status.is_none());
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SessionListParams {
    /// Sessions of this user.
    pub user_id: Option<String>,
    /// Sessions of this device.
    pub client_id: Option<String>,
    /// Only this status.
    pub status: Option<SessionStatus>,
    /// Page size.
    pub limit: Option<i64>,
    /// Offset.
    pub offset: Option<i64>,
}

/// The session endpoints ([`ClerkClient::sessions`]).
#[derive(Clone, Copy, Debug)]
pub struct Sessions<'a>(pub(super) &'a ClerkClient);

impl Sessions<'_> {
    /// `GET /sessions` (a bare array, or `{data}` when paginated: both are read).
    ///
    /// ```no_run
    /// # async fn demo(clerk: clerk_backend::api::ClerkClient) -> Result<(), clerk_backend::api::ClerkApiError> {
    /// use clerk_backend::api::SessionListParams;
    /// let sessions = clerk.sessions().get_session_list(&SessionListParams { user_id: Some("user_1".into()), ..Default::default() }).await?;
    /// # Ok(()) }
    /// ```
    pub async fn get_session_list(
        &self,
        params: &SessionListParams,
    ) -> Result<Vec<Session>, ClerkApiError> {
        let mut q = Query::default();
        q.opt("user_id", &params.user_id)
            .opt("client_id", &params.client_id)
            .opt(
                "status",
                &params.status.as_ref().map(|s| s.as_str().to_owned()),
            )
            .opt("limit", &params.limit)
            .opt("offset", &params.offset.filter(|o| *o > 0));
        let v: Value = self.0.request(Method::GET, "/sessions", &q, None).await?;
        let list = match v {
            Value::Object(mut o) => o.remove("data").unwrap_or(Value::Array(vec![])),
            other => other,
        };
        serde_json::from_value(list).map_err(|e| ClerkApiError {
            status: None,
            errors: vec![super::ApiErrorItem {
                code: "unexpected_error".into(),
                message: format!("the session list does not decode: {e}"),
                ..Default::default()
            }],
            clerk_trace_id: None,
            retry_after: None,
        })
    }

    /// `GET /sessions/{id}`.
    pub async fn get_session(&self, session_id: &str) -> Result<Session, ClerkApiError> {
        self.0
            .call(Method::GET, &format!("/sessions/{}", seg(session_id)), None)
            .await
    }

    /// `POST /sessions/{id}/revoke`: the user must sign in again on that device.
    pub async fn revoke_session(&self, session_id: &str) -> Result<Session, ClerkApiError> {
        self.0
            .call(
                Method::POST,
                &format!("/sessions/{}/revoke", seg(session_id)),
                None,
            )
            .await
    }

    /// `POST /sessions/{id}/tokens[/{template}]`: a fresh session token, or one from a JWT
    /// template, optionally with its own lifetime (30 s … 10 years).
    ///
    /// ```no_run
    /// # async fn demo(clerk: clerk_backend::api::ClerkClient) -> Result<(), clerk_backend::api::ClerkApiError> {
    /// let token = clerk.sessions().get_token("sess_1", Some("supabase"), Some(300)).await?;
    /// println!("{}", token.jwt);
    /// # Ok(()) }
    /// ```
    pub async fn get_token(
        &self,
        session_id: &str,
        template: Option<&str>,
        expires_in_seconds: Option<i64>,
    ) -> Result<Token, ClerkApiError> {
        let path = match template.filter(|t| !t.is_empty()) {
            Some(t) => format!("/sessions/{}/tokens/{}", seg(session_id), seg(t)),
            None => format!("/sessions/{}/tokens", seg(session_id)),
        };
        let body = expires_in_seconds.map(|s| json!({ "expires_in_seconds": s }));
        self.0
            .call(Method::POST, &path, Some(&body.unwrap_or(json!({}))))
            .await
    }
}
