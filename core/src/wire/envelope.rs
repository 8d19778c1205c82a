use serde::{Deserialize, Serialize};

use super::{Client, ErrorCode};

/// The `{response, client}` envelope of most FAPI answers: the resource, and the client as it
/// is after the request (so every mutation refreshes the client).
///
/// ```
/// use clerk_core::wire::{Envelope, Token};
/// let e: Envelope<Option<Token>> = serde_json::from_str(r#"{"response":null,"client":null}"#).unwrap();
/// assert!(e.response.is_none() && e.client.is_none());
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    /// The resource the request was about.
    pub response: T,
    /// The current client, on mutations.
    #[serde(default)]
    pub client: Option<Client>,
}

/// A page of a paginated list (`paginated=true`).
///
/// ```
/// use clerk_core::wire::Paginated;
/// let p: Paginated<u8> = serde_json::from_str(r#"{"data":[1,2],"total_count":7}"#).unwrap();
/// assert_eq!(p.total_count, 7);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Paginated<T> {
    /// The items of this page.
    pub data: Vec<T>,
    /// The number of items in all pages.
    pub total_count: i64,
}

/// What a deletion answers: `{object, id, slug?, deleted: true}`.
///
/// ```
/// use clerk_core::wire::DeletedObject;
/// let d: DeletedObject = serde_json::from_str(r#"{"object":"user","id":"user_1","deleted":true}"#).unwrap();
/// assert!(d.deleted);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletedObject {
    /// The kind of the deleted object.
    pub object: String,
    /// Its id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its slug (organizations).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    /// Always true.
    pub deleted: bool,
}

/// The body of every FAPI error: `{errors: [...], clerk_trace_id}`.
///
/// ```
/// use clerk_core::wire::{ErrorEnvelope, ErrorCode};
/// let e: ErrorEnvelope = serde_json::from_str(r#"{"errors":[{"code":"form_password_incorrect",
///   "message":"is incorrect","long_message":"Password is incorrect.",
///   "meta":{"param_name":"password"}}],"clerk_trace_id":"abc"}"#).unwrap();
/// assert_eq!(e.errors[0].code, ErrorCode::FormPasswordIncorrect);
/// assert_eq!(e.errors[0].param_name(), Some("password"));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorEnvelope {
    /// The errors, most important first.
    pub errors: Vec<ApiError>,
    /// Extra data about the whole failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<serde_json::Map<String, serde_json::Value>>,
    /// The id to quote to Clerk's support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clerk_trace_id: Option<String>,
}

/// One error of an [`ErrorEnvelope`].
///
/// ```
/// use clerk_core::wire::{ApiError, ErrorCode};
/// let e = ApiError::new(ErrorCode::FormParamMissing, "is missing", "Enter a password.")
///     .with_param("password");
/// assert_eq!(e.param_name(), Some("password"));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiError {
    /// Machine-readable code.
    pub code: ErrorCode,
    /// Short message.
    #[serde(default)]
    pub message: String,
    /// Full sentence for people.
    #[serde(default)]
    pub long_message: Option<String>,
    /// Details: the form field (`param_name`) and more.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<ErrorMeta>,
}

impl ApiError {
    /// An error with a code and both messages.
    pub fn new(code: ErrorCode, message: &str, long_message: &str) -> Self {
        Self {
            code,
            message: message.to_owned(),
            long_message: Some(long_message.to_owned()),
            meta: None,
        }
    }

    /// The same error, naming the form field it is about.
    pub fn with_param(mut self, param: &str) -> Self {
        self.meta.get_or_insert_with(ErrorMeta::default).param_name = Some(param.to_owned());
        self
    }

    /// The form field the error is about, if any.
    pub fn param_name(&self) -> Option<&str> {
        self.meta.as_ref()?.param_name.as_deref()
    }

    /// The best text for people: the long message, else the short one.
    pub fn text(&self) -> &str {
        self.long_message
            .as_deref()
            .filter(|m| !m.is_empty())
            .unwrap_or(&self.message)
    }
}

/// The `meta` of an [`ApiError`].
///
/// ```
/// use clerk_core::wire::ErrorMeta;
/// let m: ErrorMeta = serde_json::from_str(r#"{"param_name":"code","x":1}"#).unwrap();
/// assert_eq!(m.param_name.as_deref(), Some("code"));
/// assert_eq!(m.extra["x"], 1);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ErrorMeta {
    /// The form field the error is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub param_name: Option<String>,
    /// The session the error is about (`session_exists`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    /// Anything else the server put here.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// The answer of `POST /v1/dev_browser`: the dev-browser token is its `id` (older clerk-js read
/// `token`, so servers send both; a payload with only one of them decodes too).
///
/// ```
/// use clerk_core::wire::DevBrowser;
/// let d: DevBrowser = serde_json::from_str(r#"{"token":"dvb_1"}"#).unwrap();
/// assert_eq!(d.id, "dvb_1");
/// let both = DevBrowser { id: "dvb_2".into(), token: Some("dvb_2".into()) };
/// let text = serde_json::to_string(&both).unwrap();
/// assert_eq!(text, r#"{"id":"dvb_2","token":"dvb_2"}"#);
/// assert_eq!(serde_json::from_str::<DevBrowser>(&text).unwrap(), both);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DevBrowser {
    /// The dev-browser token.
    pub id: String,
    /// The same token under its older name, when the server sent it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

impl<'de> Deserialize<'de> for DevBrowser {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Raw {
            #[serde(default)]
            id: Option<String>,
            #[serde(default)]
            token: Option<String>,
        }
        let raw = Raw::deserialize(d)?;
        let id = raw
            .id
            .clone()
            .or_else(|| raw.token.clone())
            .ok_or_else(|| serde::de::Error::missing_field("id"))?;
        Ok(Self {
            id,
            token: raw.token,
        })
    }
}
