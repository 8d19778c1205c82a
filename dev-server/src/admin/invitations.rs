//! Application invitations (`POST /v1/invitations`): an email address invited to sign up. The
//! "email" goes to the log and `/v1/__dev/codes`; this server's sign-ups do not consume them.

use axum::http::StatusCode;
use clerk_core::wire::ErrorCode;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{ApiErr, ApiResult};
use crate::store::{ident_key, Doc, Tx};
use crate::AppState;

/// An application invitation.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct AppInvitationRec {
    /// `inv_…`.
    pub id: String,
    /// The invited address, lowercase.
    pub email: String,
    /// Becomes the user's public metadata when accepted.
    pub public_metadata: Map<String, Value>,
    /// `pending`, `accepted` or `revoked` (`expired` is computed).
    pub status: String,
    /// Where the invitation link leads.
    pub redirect_url: Option<String>,
    /// Expiry (ms).
    pub expires_at: i64,
    /// Created (ms).
    pub created_at: i64,
    /// Updated (ms).
    pub updated_at: i64,
}

impl AppInvitationRec {
    /// The status now: a pending invitation past its expiry is `expired`.
    pub(crate) fn status_at(&self, now: i64) -> &str {
        if self.status == "pending" && now >= self.expires_at {
            "expired"
        } else {
            &self.status
        }
    }
}

impl Doc for AppInvitationRec {
    const KIND: &'static str = "app_invitation";
    fn id(&self) -> &str {
        &self.id
    }
    fn subject(&self) -> Option<&str> {
        Some(&self.email)
    }
}

/// `POST /v1/invitations`, parsed.
#[derive(Clone, Debug, Default)]
pub(crate) struct NewInvitation {
    pub email: String,
    pub public_metadata: Option<Map<String, Value>>,
    pub redirect_url: Option<String>,
    pub notify: bool,
    pub ignore_existing: bool,
    pub expires_in_days: Option<i64>,
}

fn duplicate(long: &str) -> ApiErr {
    ApiErr::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::from("duplicate_record"),
        "duplicate invitation",
        long,
    )
    .param("email_address")
}

/// Creates an invitation. An address that is a user's, or has a pending invitation, is a 422
/// unless `ignore_existing`.
pub(crate) fn create(tx: &Tx, state: &AppState, n: &NewInvitation) -> ApiResult<AppInvitationRec> {
    let email = n.email.trim().to_lowercase();
    super::users::check_email(&email, "email_address")?;
    let now = state.now();
    if !n.ignore_existing {
        if tx.key(&ident_key("email", &email))?.is_some() {
            return Err(ApiErr::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::FormIdentifierExists,
                "That email address is taken.",
                "A user with this email address already exists.",
            )
            .param("email_address"));
        }
        let pending = tx
            .all::<AppInvitationRec>()?
            .into_iter()
            .any(|i| i.email == email && i.status_at(now) == "pending");
        if pending {
            return Err(duplicate(
                "There is already a pending invitation for this email address.",
            ));
        }
    }
    let days = n.expires_in_days.unwrap_or(30);
    let i = AppInvitationRec {
        id: crate::crypto::new_id("inv"),
        email: email.clone(),
        public_metadata: n.public_metadata.clone().unwrap_or_default(),
        status: "pending".into(),
        redirect_url: n.redirect_url.clone(),
        expires_at: now + days * 24 * 3600 * 1000,
        created_at: now,
        updated_at: now,
    };
    tx.put(&i)?;
    if n.notify {
        state.record_code(crate::DevCode {
            identifier: email,
            code: i.id.clone(),
            strategy: "invitation".into(),
            purpose: "invitation to sign up".into(),
            created_at: now,
            expire_at: i.expires_at,
        });
    }
    Ok(i)
}

/// The invitations, filtered by status (as of now) and a part of the address, in `order`.
pub(crate) fn list(
    tx: &Tx,
    now: i64,
    status: Option<&str>,
    query: Option<&str>,
    order: &(String, bool),
) -> ApiResult<Vec<AppInvitationRec>> {
    let mut all: Vec<AppInvitationRec> = tx
        .all::<AppInvitationRec>()?
        .into_iter()
        .filter(|i| status.is_none_or(|s| i.status_at(now) == s))
        .filter(|i| query.is_none_or(|q| super::contains_ci(&i.email, q)))
        .collect();
    match order.0.as_str() {
        "email_address" => super::sort_by_key(&mut all, order.1, |i| Some(i.email.clone())),
        "expires_at" => super::sort_by_key(&mut all, order.1, |i| Some(i.expires_at)),
        _ => super::sort_by_key(&mut all, order.1, |i| Some(i.created_at)),
    }
    Ok(all)
}

/// Revokes a pending invitation (404 unknown, 400 not pending).
pub(crate) fn revoke(tx: &Tx, state: &AppState, id: &str) -> ApiResult<AppInvitationRec> {
    let mut i = tx
        .get::<AppInvitationRec>(id)?
        .ok_or_else(|| super::not_found("invitation"))?;
    let now = state.now();
    if i.status_at(now) != "pending" {
        return Err(ApiErr::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::from("invitation_not_pending"),
            "Invitation not pending",
            &format!("This invitation is already {}.", i.status_at(now)),
        ));
    }
    i.status = "revoked".into();
    i.updated_at = now.max(i.updated_at + 1);
    tx.put(&i)?;
    Ok(i)
}
