//! The session lifecycle shared by sign-in, sign-up and the session routes: creating a
//! session for a user who just authenticated, and its inactivity deadline.

use clerk_core::wire::{SessionStatus, SessionTaskKey};

use crate::error::ApiResult;
use crate::store::{ClientRec, SessionRec, Tx, UserRec};
use crate::AppState;

/// Moves the abandon time to `inactivity_timeout_seconds` after the last activity (never past
/// the expiry).
pub(crate) fn extend_abandon(state: &AppState, s: &mut SessionRec) {
    let inactivity = state.settings.seed.instance.inactivity_timeout_seconds;
    s.abandon_at = if inactivity > 0 {
        (s.last_active_at + inactivity * 1000).min(s.expire_at)
    } else {
        s.expire_at
    };
}

/// Makes an organization (or the personal account, `None`) the session's active one; an
/// organization resolves a pending `choose-organization` task.
pub(crate) fn set_active_org(s: &mut SessionRec, org: Option<String>) {
    s.last_active_org_id = org;
    if s.last_active_org_id.is_some() {
        s.tasks.retain(|t| *t != SessionTaskKey::ChooseOrganization);
        if s.tasks.is_empty() && s.status == SessionStatus::Pending {
            s.status = SessionStatus::Active;
        }
    }
}

/// Creates a session for a user who just signed in or up on a client: single-session mode
/// replaces the client's other sessions; with forced organization selection a user without
/// an organization gets a `choose-organization` task (status `pending`).
pub(crate) fn create(
    tx: &Tx,
    state: &AppState,
    c: &mut ClientRec,
    u: &mut UserRec,
    first_factor_at: i64,
    second_factor_at: Option<i64>,
    strategy: &str,
) -> ApiResult<SessionRec> {
    let now = state.now();
    let inst = &state.settings.seed.instance;
    for mut other in tx.sessions_of_client(&c.id)? {
        if other.signed_in(now) && (inst.single_session_mode || other.user_id == u.id) {
            other.status = if inst.single_session_mode {
                SessionStatus::Replaced
            } else {
                SessionStatus::Ended
            };
            other.updated_at = now;
            tx.put(&other)?;
        }
    }
    let memberships = tx.memberships_of_user(&u.id)?;
    let orgs = &state.settings.seed.organizations;
    let (org, tasks) = if orgs.enabled && orgs.force_organization_selection {
        match memberships.first() {
            Some(m) => (Some(m.org_id.clone()), vec![]),
            None => (None, vec![SessionTaskKey::ChooseOrganization]),
        }
    } else {
        (None, vec![])
    };
    let mut s = SessionRec {
        id: crate::crypto::new_id("sess"),
        client_id: c.id.clone(),
        user_id: u.id.clone(),
        status: if tasks.is_empty() {
            SessionStatus::Active
        } else {
            SessionStatus::Pending
        },
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
    c.updated_at = now.max(c.updated_at + 1);
    tx.put(c)?;
    Ok(s)
}
