//! Cross-tab messages over BroadcastChannel, on clerk-js's channel names: `clerk` carries
//! sign-outs, `clerk:session_token` carries freshly minted tokens.

use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// A token another tab minted.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TokenMessage {
    pub session_id: String,
    pub organization_id: Option<String>,
    pub template: Option<String>,
    pub token_id: String,
    pub token_raw: String,
}

/// The two channels, with their listeners.
pub(crate) struct Channels {
    auth: web_sys::BroadcastChannel,
    tokens: web_sys::BroadcastChannel,
    _on_auth: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_token: Closure<dyn FnMut(web_sys::MessageEvent)>,
}

impl Channels {
    /// Opens both channels. `on_sign_out` runs when another tab signs out; `on_token` when it
    /// shares a token.
    pub(crate) fn open(
        on_sign_out: impl Fn() + 'static,
        on_token: impl Fn(TokenMessage) + 'static,
    ) -> Option<Self> {
        if !cfg!(target_arch = "wasm32") {
            return None;
        }
        let auth = web_sys::BroadcastChannel::new("clerk").ok()?;
        let tokens = web_sys::BroadcastChannel::new("clerk:session_token").ok()?;
        let on_auth =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                let kind = js_sys::Reflect::get(&e.data(), &"type".into())
                    .ok()
                    .and_then(|v| v.as_string());
                if kind.as_deref() == Some("signout") {
                    on_sign_out();
                }
            });
        let on_token_cb =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                let text = js_sys::JSON::stringify(&e.data())
                    .ok()
                    .and_then(|s| s.as_string());
                if let Some(message) = text.and_then(|t| serde_json::from_str(&t).ok()) {
                    on_token(message);
                }
            });
        auth.set_onmessage(Some(on_auth.as_ref().unchecked_ref()));
        tokens.set_onmessage(Some(on_token_cb.as_ref().unchecked_ref()));
        Some(Self {
            auth,
            tokens,
            _on_auth: on_auth,
            _on_token: on_token_cb,
        })
    }

    /// Tells the other tabs that this one signed out.
    pub(crate) fn post_sign_out(&self) {
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"type".into(), &"signout".into());
        let _ = self.auth.post_message(&message);
    }

    /// Shares a fresh token with the other tabs.
    pub(crate) fn post_token(&self, message: &TokenMessage) {
        let Ok(text) = serde_json::to_string(message) else {
            return;
        };
        if let Ok(value) = js_sys::JSON::parse(&text) {
            let _ = self.tokens.post_message(&value);
        }
    }
}

impl Drop for Channels {
    fn drop(&mut self) {
        self.auth.set_onmessage(None);
        self.tokens.set_onmessage(None);
        self.auth.close();
        self.tokens.close();
    }
}
