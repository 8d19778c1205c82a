use leptos::callback::Callback;

/// The options of [`ClerkProvider`](crate::ClerkProvider), Clerk's `ClerkOptions` in
/// snake_case. Only `publishable_key` is required.
///
/// ```
/// use leptos_clerk::ClerkOptions;
/// let options = ClerkOptions {
///     publishable_key: "pk_test_Y2xlcmstZGV2LXNlcnZlci5sY2wuZGV2JA".into(),
///     proxy_url: Some("/".into()),
///     sign_in_url: Some("/sign-in".into()),
///     ..ClerkOptions::default()
/// };
/// assert!(options.touch_session && options.polling);
/// ```
#[derive(Clone, Debug)]
pub struct ClerkOptions {
    /// `pk_test_…` or `pk_live_…`.
    pub publishable_key: String,
    /// Reach FAPI through this URL (absolute, or a path on the page's origin) instead of the
    /// key's host; requests go to `{proxy_url}/v1/…`.
    pub proxy_url: Option<String>,
    /// The satellite domain of a multi-domain production setup.
    pub domain: Option<String>,
    /// Where to sign in (default: the environment's hosted page).
    pub sign_in_url: Option<String>,
    /// Where to sign up.
    pub sign_up_url: Option<String>,
    /// Where to go after signing out (default `/`).
    pub after_sign_out_url: Option<String>,
    /// Always go here after a sign-in.
    pub sign_in_force_redirect_url: Option<String>,
    /// Go here after a sign-in when no `redirect_url` is given.
    pub sign_in_fallback_redirect_url: Option<String>,
    /// Always go here after a sign-up.
    pub sign_up_force_redirect_url: Option<String>,
    /// Go here after a sign-up when no `redirect_url` is given.
    pub sign_up_fallback_redirect_url: Option<String>,
    /// Other origins redirects may go to (`https://app.example.com`, `https://*.example.com`).
    pub allowed_redirect_origins: Vec<String>,
    /// Touch the session when the window gets focus (keeps it alive, default true).
    pub touch_session: bool,
    /// Refresh session tokens in the background before they expire (default true).
    pub polling: bool,
    /// Navigates within the app (for example `leptos_router`'s `use_navigate`). Default: push
    /// the URL onto the history and fire `popstate`, which `leptos_router` follows.
    pub router_push: Option<Callback<String>>,
    /// Like `router_push`, replacing the current history entry.
    pub router_replace: Option<Callback<String>>,
    /// How the prebuilt components look (theme, CSS variables, extra classes).
    pub appearance: crate::ui::Appearance,
    /// The prebuilt components' strings (English by default, overridable per string).
    pub localization: crate::ui::Localization,
}

impl Default for ClerkOptions {
    fn default() -> Self {
        Self {
            publishable_key: String::new(),
            proxy_url: None,
            domain: None,
            sign_in_url: None,
            sign_up_url: None,
            after_sign_out_url: None,
            sign_in_force_redirect_url: None,
            sign_in_fallback_redirect_url: None,
            sign_up_force_redirect_url: None,
            sign_up_fallback_redirect_url: None,
            allowed_redirect_origins: Vec::new(),
            touch_session: true,
            polling: true,
            router_push: None,
            router_replace: None,
            appearance: Default::default(),
            localization: Default::default(),
        }
    }
}
