//! Clerk's webhooks: verify a delivery (Svix's scheme, as Clerk's `verifyWebhook`) and read its
//! event, keeping the `timestamp` and `instance_id` Clerk's JS drops.
//!
//! ```no_run
//! # fn demo(headers: &http::HeaderMap, body: &[u8]) {
//! use clerk_backend::webhooks::{verify, WebhookData};
//! match verify(headers, body, "whsec_…") {
//!     Ok(event) => match event.data {
//!         WebhookData::User(user) => println!("{} {}", event.event_type, user.id),
//!         WebhookData::Deleted(d) => println!("deleted {:?}", d.id),
//!         _ => {}
//!     },
//!     Err(e) => println!("refused: {e}"),
//! }
//! # }
//! ```
//!
//! The scheme, in full (Svix / Standard Webhooks): headers `svix-id`, `svix-timestamp`,
//! `svix-signature` (or `webhook-*`); the secret is standard base64 after an optional
//! `whsec_`; the signature is HMAC-SHA256 of `{id}.{timestamp}.{raw body}` in standard base64,
//! written `v1,<sig>`, several separated by spaces; any matching `v1` passes (constant-time
//! comparison); the timestamp may be at most 300 s old or 300 s ahead. Written over `hmac`,
//! `sha2` and `base64` (the `svix` crate is mostly an API client of ~110 packages).

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use http::HeaderMap;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::Sha256;

use crate::api::{
    DeletedObject, Organization, OrganizationInvitation, OrganizationMembership, Session, User,
};

/// The tolerance for the timestamp, both ways.
pub const TOLERANCE_SECONDS: i64 = 300;

/// Why a delivery was refused.
///
/// ```
/// use clerk_backend::webhooks::{verify, WebhookError};
/// let err = verify(&http::HeaderMap::new(), b"{}", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap_err();
/// assert!(matches!(err, WebhookError::MissingHeader(_)));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// No signing secret.
    #[error("the webhook signing secret is empty (CLERK_WEBHOOK_SIGNING_SECRET)")]
    EmptySecret,
    /// The secret is not base64 (after `whsec_`).
    #[error("the webhook signing secret is not base64")]
    InvalidSecret,
    /// A required header is missing.
    #[error("missing required webhook header: {0}")]
    MissingHeader(&'static str),
    /// A header is not text, or the timestamp not an integer.
    #[error("invalid webhook header: {0}")]
    InvalidHeader(&'static str),
    /// The timestamp is more than 300 s old.
    #[error("the webhook timestamp is too old")]
    TimestampTooOld,
    /// The timestamp is more than 300 s ahead.
    #[error("the webhook timestamp is in the future")]
    TimestampInFuture,
    /// No signature matches.
    #[error("no webhook signature matches")]
    InvalidSignature,
    /// The body is not Clerk's event JSON.
    #[error("the webhook body is not a Clerk event: {0}")]
    InvalidPayload(String),
}

/// A Clerk event.
///
/// ```
/// let json = r#"{"object":"event","type":"user.deleted","timestamp":1700000000000,
///   "instance_id":"ins_1","data":{"object":"user","id":"user_1","deleted":true}}"#;
/// let e = clerk_backend::webhooks::WebhookEvent::parse(json.as_bytes()).unwrap();
/// assert_eq!(e.event_type, "user.deleted");
/// assert!(matches!(e.data, clerk_backend::webhooks::WebhookData::Deleted(_)));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WebhookEvent {
    /// `user.created`, `session.ended`…
    #[serde(rename = "type")]
    pub event_type: String,
    /// `event`.
    pub object: String,
    /// When it happened (Unix time, as Clerk sends it).
    pub timestamp: i64,
    /// The instance.
    pub instance_id: Option<String>,
    /// `http_request: {client_ip, user_agent}` of the request that caused it.
    pub event_attributes: Option<Value>,
    /// The resource.
    pub data: WebhookData,
    /// The `svix-id` of the delivery (retries keep it: deduplicate on it).
    pub delivery_id: Option<String>,
}

/// An event's resource, typed by the event type.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum WebhookData {
    /// `user.created`, `user.updated`.
    User(Box<User>),
    /// `*.deleted`: `{object, id, deleted: true}`.
    Deleted(DeletedObject),
    /// `session.created`, `.ended`, `.removed`, `.revoked`, `.pending`.
    Session(Box<Session>),
    /// `organization.created`, `.updated`.
    Organization(Box<Organization>),
    /// `organizationMembership.created`, `.updated` (and `.deleted`, which carries the membership).
    OrganizationMembership(Box<OrganizationMembership>),
    /// `organizationInvitation.created`, `.accepted`, `.revoked`.
    OrganizationInvitation(Box<OrganizationInvitation>),
    /// `email.created`.
    Email(Box<Message>),
    /// `sms.created`.
    Sms(Box<Message>),
    /// Any other event, as sent.
    Unknown(Value),
}

/// An email or SMS Clerk sent (`email.created`, `sms.created`), with all its fields.
///
/// ```
/// let m: clerk_backend::webhooks::Message = serde_json::from_str(r#"{"id":"ema_1","to_email_address":"a@b.c","slug":"verification_code"}"#).unwrap();
/// assert_eq!(m.fields["to_email_address"], "a@b.c");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// `ema_…` / `sms_…`.
    #[serde(default)]
    pub id: String,
    /// The template (`verification_code`…).
    #[serde(default)]
    pub slug: Option<String>,
    /// Everything else (`to_email_address`, `subject`, `body`, `to_phone_number`, `message`,
    /// `data`…).
    #[serde(flatten)]
    pub fields: Map<String, Value>,
}

impl WebhookEvent {
    /// Reads Clerk's event JSON (no signature check: use [`verify`]).
    pub fn parse(body: &[u8]) -> Result<Self, WebhookError> {
        #[derive(Deserialize)]
        struct Raw {
            #[serde(rename = "type")]
            event_type: String,
            #[serde(default)]
            object: String,
            #[serde(default)]
            timestamp: i64,
            #[serde(default)]
            instance_id: Option<String>,
            #[serde(default)]
            event_attributes: Option<Value>,
            #[serde(default)]
            data: Value,
        }
        let raw: Raw = serde_json::from_slice(body)
            .map_err(|e| WebhookError::InvalidPayload(e.to_string()))?;
        let data = typed(&raw.event_type, raw.data)?;
        Ok(Self {
            event_type: raw.event_type,
            object: raw.object,
            timestamp: raw.timestamp,
            instance_id: raw.instance_id,
            event_attributes: raw.event_attributes,
            data,
            delivery_id: None,
        })
    }
}

fn typed(event_type: &str, data: Value) -> Result<WebhookData, WebhookError> {
    fn de<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, WebhookError> {
        serde_json::from_value(v).map_err(|e| WebhookError::InvalidPayload(e.to_string()))
    }
    let (resource, action) = event_type.split_once('.').unwrap_or((event_type, ""));
    Ok(match (resource, action) {
        ("organizationMembership", _) => WebhookData::OrganizationMembership(Box::new(de(data)?)),
        (_, "deleted") => WebhookData::Deleted(de(data)?),
        ("user", _) => WebhookData::User(Box::new(de(data)?)),
        ("session", _) => WebhookData::Session(Box::new(de(data)?)),
        ("organization", _) => WebhookData::Organization(Box::new(de(data)?)),
        ("organizationInvitation", _) => WebhookData::OrganizationInvitation(Box::new(de(data)?)),
        ("email", _) => WebhookData::Email(Box::new(de(data)?)),
        ("sms", _) => WebhookData::Sms(Box::new(de(data)?)),
        _ => WebhookData::Unknown(data),
    })
}

fn header<'a>(
    headers: &'a HeaderMap,
    name: &'static str,
    fallback: &'static str,
) -> Result<&'a str, WebhookError> {
    let v = headers
        .get(name)
        .or_else(|| headers.get(fallback))
        .ok_or(WebhookError::MissingHeader(name))?;
    v.to_str().map_err(|_| WebhookError::InvalidHeader(name))
}

fn key(secret: &str) -> Result<Vec<u8>, WebhookError> {
    let s = secret.trim();
    let s = s.strip_prefix("whsec_").unwrap_or(s);
    if s.is_empty() {
        return Err(WebhookError::EmptySecret);
    }
    let k = STANDARD
        .decode(s)
        .map_err(|_| WebhookError::InvalidSecret)?;
    if k.is_empty() {
        return Err(WebhookError::EmptySecret);
    }
    Ok(k)
}

/// The `v1,<base64>` signature of a message, as the sender writes it.
///
/// ```
/// use clerk_backend::webhooks::sign;
/// // Svix's published test vector
/// let sig = sign("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD", "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk", 1649367553,
///     br#"{"email":"test@example.com","username":"test_user"}"#).unwrap();
/// assert_eq!(sig, "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=");
/// ```
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> Result<String, WebhookError> {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(&key(secret)?).map_err(|_| WebhookError::InvalidSecret)?;
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body);
    Ok(format!(
        "v1,{}",
        STANDARD.encode(mac.finalize().into_bytes())
    ))
}

/// Verifies a delivery now ([`verify_at`] with the system clock).
pub fn verify(
    headers: &HeaderMap,
    body: &[u8],
    secret: &str,
) -> Result<WebhookEvent, WebhookError> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    verify_at(headers, body, secret, now)
}

/// Verifies a delivery at `now` (Unix seconds) and reads its event.
///
/// ```
/// use clerk_backend::webhooks::{sign, verify_at, WebhookError};
/// let secret = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
/// let body = br#"{"object":"event","type":"user.created","timestamp":1,"data":{"id":"user_1"}}"#;
/// let mut h = http::HeaderMap::new();
/// h.insert("svix-id", "msg_1".parse().unwrap());
/// h.insert("svix-timestamp", "1700000000".parse().unwrap());
/// h.insert("svix-signature", sign(secret, "msg_1", 1700000000, body).unwrap().parse().unwrap());
/// assert_eq!(verify_at(&h, body, secret, 1700000100).unwrap().delivery_id.as_deref(), Some("msg_1"));
/// assert_eq!(verify_at(&h, body, secret, 1700000301).unwrap_err(), WebhookError::TimestampTooOld);
/// assert_eq!(verify_at(&h, b"{}", secret, 1700000000).unwrap_err(), WebhookError::InvalidSignature);
/// ```
pub fn verify_at(
    headers: &HeaderMap,
    body: &[u8],
    secret: &str,
    now: i64,
) -> Result<WebhookEvent, WebhookError> {
    let key = key(secret)?;
    let id = header(headers, "svix-id", "webhook-id")?;
    let ts_text = header(headers, "svix-timestamp", "webhook-timestamp")?;
    let signatures = header(headers, "svix-signature", "webhook-signature")?;
    let ts: i64 = ts_text
        .trim()
        .parse()
        .map_err(|_| WebhookError::InvalidHeader("svix-timestamp"))?;
    if now - ts > TOLERANCE_SECONDS {
        return Err(WebhookError::TimestampTooOld);
    }
    if ts - now > TOLERANCE_SECONDS {
        return Err(WebhookError::TimestampInFuture);
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).map_err(|_| WebhookError::InvalidSecret)?;
    mac.update(format!("{id}.{ts_text}.").as_bytes());
    mac.update(body);
    let matches = signatures.split(' ').any(|entry| {
        let Some(("v1", sig)) = entry.split_once(',') else {
            return false;
        };
        let Ok(sig) = STANDARD.decode(sig) else {
            return false;
        };
        // `verify_slice` compares in constant time
        mac.clone().verify_slice(&sig).is_ok()
    });
    if !matches {
        return Err(WebhookError::InvalidSignature);
    }
    let mut event = WebhookEvent::parse(body)?;
    event.delivery_id = Some(id.to_owned());
    Ok(event)
}
