//! Applies the seed's users and organizations to a new database (once).

use clerk_core::wire::Strategy;

use crate::error::{ApiErr, StartupError};
use crate::org_rules::default_slug;
use crate::store::{ident_key, IdentRec, MembershipRec, OrgRec, UserRec};
use crate::AppState;

fn to_json(t: &Option<toml::Table>) -> serde_json::Map<String, serde_json::Value> {
    t.as_ref()
        .and_then(|t| serde_json::to_value(t).ok())
        .and_then(|v| v.as_object().cloned())
        .unwrap_or_default()
}

/// A seed that does not fit together, carried out of the transaction as an internal error.
fn seed_error(text: String) -> ApiErr {
    ApiErr::internal(text)
}

/// Creates the seed's users and organizations unless the database was seeded before.
pub fn apply(state: &AppState) -> Result<(), StartupError> {
    let seed = &state.settings.seed;
    let seeded = state.db.tx(|tx| tx.key("meta:seeded"))?;
    if seeded.is_some() {
        return Ok(());
    }
    // Hash outside the transaction (argon2 is slow on purpose).
    let hashes: Vec<Option<String>> = seed
        .users
        .iter()
        .map(|u| u.password.as_deref().map(crate::crypto::hash_password))
        .collect();
    let now = state.now();
    state
        .db
        .tx(|tx| {
            let mut ids = Vec::new();
            for (u, hash) in seed.users.iter().zip(hashes) {
                let id =
                    u.id.clone()
                        .unwrap_or_else(|| crate::crypto::new_id("user"));
                let mut rec = UserRec {
                    id: id.clone(),
                    username: u.username.as_ref().map(|s| s.to_lowercase()),
                    first_name: u.first_name.clone(),
                    last_name: u.last_name.clone(),
                    password_hash: hash,
                    public_metadata: to_json(&u.public_metadata),
                    unsafe_metadata: to_json(&u.unsafe_metadata),
                    totp_secret: u.totp_secret.clone(),
                    backup_codes: u
                        .backup_codes
                        .iter()
                        .map(|c| crate::crypto::sha256_hex(c.trim()))
                        .collect(),
                    created_at: now,
                    updated_at: now,
                    ..Default::default()
                };
                if rec.totp_secret.is_some() || !rec.backup_codes.is_empty() {
                    rec.mfa_enabled_at = Some(now);
                }
                for email in u.email.iter().chain(u.emails.iter()) {
                    let email = email.trim().to_lowercase();
                    let idn = crate::crypto::new_id("idn");
                    rec.primary_email_id.get_or_insert(idn.clone());
                    rec.emails.push(IdentRec {
                        id: idn,
                        value: email.clone(),
                        verified: true,
                        strategy: Strategy::Admin,
                        second_factor: false,
                        created_at: now,
                    });
                    tx.set_key(&ident_key("email", &email), &id)?;
                }
                if let Some(phone) = &u.phone {
                    let phone = crate::identifiers::normalize_phone(phone);
                    let idn = crate::crypto::new_id("idn");
                    rec.primary_phone_id = Some(idn.clone());
                    rec.phones.push(IdentRec {
                        id: idn,
                        value: phone.clone(),
                        verified: true,
                        strategy: Strategy::Admin,
                        second_factor: u.phone_second_factor,
                        created_at: now,
                    });
                    tx.set_key(&ident_key("phone", &phone), &id)?;
                }
                if let Some(name) = &rec.username {
                    tx.set_key(&ident_key("username", name), &id)?;
                }
                tx.put(&rec)?;
                ids.push((u.clone(), id));
            }
            for o in &seed.orgs {
                let id = o.id.clone().unwrap_or_else(|| crate::crypto::new_id("org"));
                let slug = o.slug.clone().unwrap_or_else(|| default_slug(&o.name));
                tx.put(&OrgRec {
                    id: id.clone(),
                    name: o.name.clone(),
                    slug: slug.clone(),
                    max_allowed_memberships: seed.organizations.max_allowed_memberships,
                    public_metadata: to_json(&o.public_metadata),
                    created_at: now,
                    updated_at: now,
                })?;
                tx.set_key(&format!("slug:{slug}"), &id)?;
                for m in &o.members {
                    let wanted = m.user.to_lowercase();
                    let user = ids.iter().find(|(u, uid)| {
                        uid == &m.user
                            || u.email.as_deref().map(str::to_lowercase).as_deref() == Some(&wanted)
                            || u.emails.iter().any(|e| e.to_lowercase() == wanted)
                            || u.username.as_deref().map(str::to_lowercase).as_deref()
                                == Some(&wanted)
                    });
                    let Some((_, user_id)) = user else {
                        return Err(seed_error(format!(
                            "seed: member {} of {} is not a seeded user",
                            m.user, o.name
                        )));
                    };
                    if state.settings.role(&m.role).is_none() {
                        return Err(seed_error(format!("seed: unknown role {}", m.role)));
                    }
                    tx.put(&MembershipRec {
                        id: crate::crypto::new_id("orgmem"),
                        org_id: id.clone(),
                        user_id: user_id.clone(),
                        role: m.role.clone(),
                        created_at: now,
                        updated_at: now,
                    })?;
                }
            }
            tx.set_key("meta:seeded", "1")
        })
        .map_err(|e| match e.detail {
            Some(text) if text.starts_with("seed:") => StartupError::SeedData(text),
            _ => StartupError::from(e),
        })
}
