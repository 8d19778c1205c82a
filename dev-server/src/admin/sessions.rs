//! Sessions through the Backend API: list, read, revoke (FAPI then shows the session revoked:
//! it leaves its client's signed-in sessions) and the subject of a token minted for one.

use clerk_core::wire::SessionStatus;

use crate::error::{ApiErr, ApiResult};
use crate::store::{SessionRec, Tx, UserRec};
use crate::tokens::{org_membership, Subject};
use crate::{AppState, Instance};

/// The sessions of a client and/or a user, newest first, optionally of one status (as of now).
pub(crate) fn list(
    tx: &Tx,
    now: i64,
    client_id: Option<&str>,
    user_id: Option<&str>,
    status: Option<&str>,
) -> ApiResult<Vec<SessionRec>> {
    let mut all = match (client_id, user_id) {
        (Some(c), _) => tx.sessions_of_client(c)?,
        (None, Some(u)) => tx.sessions_of_user(u)?,
        (None, None) => Vec::new(),
    };
    all.retain(|s| {
        user_id.is_none_or(|u| s.user_id == u)
            && status.is_none_or(|st| s.effective_status(now).as_str() == st)
    });
    all.reverse();
    all.sort_by_key(|s| std::cmp::Reverse(s.created_at));
    Ok(all)
}

/// The session of this id (404 otherwise).
pub(crate) fn get(tx: &Tx, id: &str) -> ApiResult<SessionRec> {
    tx.get::<SessionRec>(id)?
        .ok_or_else(|| super::not_found("session"))
}

/// Revokes a signed-in session (others are answered as they are).
pub(crate) fn revoke(tx: &Tx, state: &AppState, id: &str) -> ApiResult<SessionRec> {
    let mut s = get(tx, id)?;
    let now = state.now();
    if s.signed_in(now) {
        s.status = SessionStatus::Revoked;
        s.updated_at = now;
        tx.put(&s)?;
        crate::tokens::forget(state, &s.id);
    }
    Ok(s)
}

/// What a token for a signed-in session is about: its user and active organization. A session
/// that is not signed in is a 404. The issuer is the development instance's (the secret key's).
pub(crate) fn subject(tx: &Tx, state: &AppState, id: &str) -> ApiResult<Subject> {
    let s = get(tx, id)?;
    if !s.signed_in(state.now()) {
        return Err(ApiErr::not_found("active session"));
    }
    let user = tx
        .get::<UserRec>(&s.user_id)?
        .ok_or_else(|| ApiErr::not_found("active session"))?;
    let org = match &s.last_active_org_id {
        Some(o) => org_membership(tx, &user.id, o)?,
        None => None,
    };
    Ok(Subject {
        session: s,
        user,
        org,
        instance: Instance::Development,
    })
}
