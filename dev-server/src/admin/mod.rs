//! What the Backend API does to the records FAPI shares: users (`users`), organizations, their
//! memberships and invitations (`orgs`), sessions (`sessions`) and application invitations
//! (`invitations`). The routes in `routes/bapi/` parse requests and call these; rendering is in
//! `render_bapi.rs`.

pub(crate) mod invitations;
pub(crate) mod orgs;
pub(crate) mod sessions;
pub(crate) mod users;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{ApiErr, ApiResult};
use crate::store::{Doc, Tx};

pub(crate) use invitations::AppInvitationRec;

/// What the Backend API keeps about an organization, membership or organization invitation
/// beyond its FAPI record, under the record's id: metadata, its creator or inviter, a custom
/// expiry.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct Extras {
    /// The record's id.
    pub id: String,
    /// Public metadata (memberships and invitations; an organization keeps its own).
    #[serde(default)]
    pub public_metadata: Map<String, Value>,
    /// Metadata only the Backend API sees.
    #[serde(default)]
    pub private_metadata: Map<String, Value>,
    /// The user who created the organization.
    #[serde(default)]
    pub created_by: Option<String>,
    /// The user who sent the invitation.
    #[serde(default)]
    pub inviter_id: Option<String>,
    /// A custom invitation expiry (ms).
    #[serde(default)]
    pub expires_at: Option<i64>,
}

impl Doc for Extras {
    const KIND: &'static str = "bapi_extras";
    fn id(&self) -> &str {
        &self.id
    }
}

/// The extras of a record (empty when it has none).
pub(crate) fn extras(tx: &Tx, id: &str) -> ApiResult<Extras> {
    Ok(tx.get::<Extras>(id)?.unwrap_or_else(|| Extras {
        id: id.to_owned(),
        ..Default::default()
    }))
}

/// Deep merge of `patch` into `target`: objects merge key by key at every level, `null`
/// removes a key, anything else replaces.
pub(crate) fn merge(target: &mut Map<String, Value>, patch: &Map<String, Value>) {
    for (k, v) in patch {
        match v {
            Value::Null => {
                target.remove(k);
            }
            Value::Object(p) => {
                let slot = target
                    .entry(k.clone())
                    .or_insert_with(|| Value::Object(Map::new()));
                if !slot.is_object() {
                    *slot = Value::Object(Map::new());
                }
                if let Value::Object(t) = slot {
                    merge(t, p);
                }
            }
            other => {
                target.insert(k.clone(), other.clone());
            }
        }
    }
}

/// A metadata change: deep merge (`PATCH …/metadata`) or replace the given fields (`PUT`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MetaChange {
    /// Deep merge, `null` deletes.
    Merge,
    /// Replace whole.
    Replace,
}

/// Applies a change to one metadata field (`None`: not given, left alone).
pub(crate) fn apply_meta(
    target: &mut Map<String, Value>,
    given: Option<&Map<String, Value>>,
    how: MetaChange,
) {
    if let Some(given) = given {
        match how {
            MetaChange::Merge => merge(target, given),
            MetaChange::Replace => *target = given.clone(),
        }
    }
}

/// The three metadata fields of a request (`None` where absent).
#[derive(Clone, Debug, Default)]
pub(crate) struct Metadata {
    pub public: Option<Map<String, Value>>,
    pub private: Option<Map<String, Value>>,
    pub unsafe_: Option<Map<String, Value>>,
}

/// A 404 `resource_not_found` for a kind of record.
pub(crate) fn not_found(what: &str) -> ApiErr {
    ApiErr::not_found(what)
}

/// One item of a sort order: the field and whether descending (`-created_at`).
pub(crate) fn order_by(value: Option<&str>, allowed: &[&str]) -> ApiResult<(String, bool)> {
    let value = value.unwrap_or("-created_at").trim();
    let (desc, field) = match value.strip_prefix('-') {
        Some(f) => (true, f),
        None => (false, value.strip_prefix('+').unwrap_or(value)),
    };
    if !allowed.contains(&field) {
        return Err(ApiErr::value_invalid(
            "order_by",
            &format!(
                "order_by must be one of {}, optionally with + or -.",
                allowed.join(", ")
            ),
        ));
    }
    Ok((field.to_owned(), desc))
}

/// Sorts `items` by a key (`None` last either way), stable.
pub(crate) fn sort_by_key<T, K: Ord>(items: &mut [T], desc: bool, key: impl Fn(&T) -> Option<K>) {
    items.sort_by(|a, b| match (key(a), key(b)) {
        (Some(x), Some(y)) => {
            if desc {
                y.cmp(&x)
            } else {
                x.cmp(&y)
            }
        }
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
}

/// Whether `haystack` contains `needle`, ignoring case.
pub(crate) fn contains_ci(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(&needle.to_lowercase())
}
