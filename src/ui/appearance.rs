//! `Appearance`: theme, CSS variables and extra classes per element, like Clerk's
//! `appearance` option.

use std::collections::BTreeMap;

/// The color scheme of the prebuilt components.
///
/// ```
/// use leptos_clerk::ui::Theme;
/// assert_eq!(Theme::default(), Theme::Light);
/// assert_eq!(Theme::Auto.as_str(), "auto");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Theme {
    /// Dark text on a light background.
    #[default]
    Light,
    /// Light text on a dark background.
    Dark,
    /// Follows the system (`prefers-color-scheme`).
    Auto,
}

impl Theme {
    /// The value of the `data-cl-theme` attribute the stylesheet keys on.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Light => "light",
            Self::Dark => "dark",
            Self::Auto => "auto",
        }
    }
}

/// Design tokens, set as CSS custom properties on each component's root element (through
/// the CSSOM, so a strict Content-Security-Policy without `'unsafe-inline'` allows them).
/// Any CSS value works: `#6c47ff`, `rgb(…)`, `1rem`. Unset ones keep the stylesheet's value
/// for the current theme.
///
/// ```
/// use leptos_clerk::ui::Variables;
/// let v = Variables { color_primary: Some("#0a7".into()), ..Default::default() };
/// assert_eq!(v.css().find(|(name, _)| *name == "--cl-color-primary").unwrap().1, "#0a7");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Variables {
    /// Buttons, links, focus rings (`--cl-color-primary`).
    pub color_primary: Option<String>,
    /// Text on primary buttons (`--cl-color-on-primary`).
    pub color_on_primary: Option<String>,
    /// Errors and destructive actions (`--cl-color-danger`).
    pub color_danger: Option<String>,
    /// Success messages and badges (`--cl-color-success`).
    pub color_success: Option<String>,
    /// Card and menu background (`--cl-color-background`).
    pub color_background: Option<String>,
    /// Main text (`--cl-color-text`).
    pub color_text: Option<String>,
    /// Secondary text: subtitles, hints (`--cl-color-text-secondary`).
    pub color_text_secondary: Option<String>,
    /// Input background (`--cl-color-input-background`).
    pub color_input_background: Option<String>,
    /// Input text (`--cl-color-input-text`).
    pub color_input_text: Option<String>,
    /// Borders and dividers (`--cl-color-border`).
    pub color_border: Option<String>,
    /// Font family (`--cl-font-family`).
    pub font_family: Option<String>,
    /// Base font size (`--cl-font-size`).
    pub font_size: Option<String>,
    /// Corner radius of cards, inputs and buttons (`--cl-border-radius`).
    pub border_radius: Option<String>,
    /// The spacing unit every gap and padding is a multiple of (`--cl-spacing`).
    pub spacing: Option<String>,
}

impl Variables {
    /// Every variable as `(custom property, value)`, unset ones left out.
    pub fn css(&self) -> impl Iterator<Item = (&'static str, &str)> {
        [
            ("--cl-color-primary", &self.color_primary),
            ("--cl-color-on-primary", &self.color_on_primary),
            ("--cl-color-danger", &self.color_danger),
            ("--cl-color-success", &self.color_success),
            ("--cl-color-background", &self.color_background),
            ("--cl-color-text", &self.color_text),
            ("--cl-color-text-secondary", &self.color_text_secondary),
            ("--cl-color-input-background", &self.color_input_background),
            ("--cl-color-input-text", &self.color_input_text),
            ("--cl-color-border", &self.color_border),
            ("--cl-font-family", &self.font_family),
            ("--cl-font-size", &self.font_size),
            ("--cl-border-radius", &self.border_radius),
            ("--cl-spacing", &self.spacing),
        ]
        .into_iter()
        .filter_map(|(name, value)| Some((name, value.as_deref()?)))
    }

    /// These variables with `other`'s set ones on top.
    pub fn merged(&self, other: &Variables) -> Variables {
        let pick = |mine: &Option<String>, theirs: &Option<String>| {
            theirs.clone().or_else(|| mine.clone())
        };
        Variables {
            color_primary: pick(&self.color_primary, &other.color_primary),
            color_on_primary: pick(&self.color_on_primary, &other.color_on_primary),
            color_danger: pick(&self.color_danger, &other.color_danger),
            color_success: pick(&self.color_success, &other.color_success),
            color_background: pick(&self.color_background, &other.color_background),
            color_text: pick(&self.color_text, &other.color_text),
            color_text_secondary: pick(&self.color_text_secondary, &other.color_text_secondary),
            color_input_background: pick(
                &self.color_input_background,
                &other.color_input_background,
            ),
            color_input_text: pick(&self.color_input_text, &other.color_input_text),
            color_border: pick(&self.color_border, &other.color_border),
            font_family: pick(&self.font_family, &other.font_family),
            font_size: pick(&self.font_size, &other.font_size),
            border_radius: pick(&self.border_radius, &other.border_radius),
            spacing: pick(&self.spacing, &other.spacing),
        }
    }
}

/// Every element key [`Appearance::element`] accepts: the names of the prebuilt components'
/// elements, which are their `cl-` classes without the prefix (the root of each component is
/// its name: `sign-in`, `user-button`…). A test keeps the list equal to the keys the
/// components use.
///
/// ```
/// use leptos_clerk::ui::{ELEMENTS, Appearance};
/// assert!(ELEMENTS.contains(&"form-button-primary"));
/// assert!(ELEMENTS.iter().all(|key| Appearance::new().class(key) == format!("cl-{key}")));
/// ```
pub const ELEMENTS: &[&str] = &[
    "alternative-method",
    "alternative-methods",
    "avatar",
    "backup-codes",
    "badge",
    "badge-warning",
    "button-add",
    "button-small",
    "button-small-danger",
    "card",
    "chevron",
    "create-organization",
    "device",
    "device-detail",
    "device-name",
    "devices",
    "footer",
    "footer-action-link",
    "footer-text",
    "form",
    "form-actions",
    "form-button-danger",
    "form-button-primary",
    "form-checkbox",
    "form-checkbox-label",
    "form-error",
    "form-field",
    "form-field-checkbox",
    "form-field-error",
    "form-field-hint",
    "form-field-input",
    "form-field-label",
    "form-field-label-row",
    "form-hint",
    "form-notice",
    "form-row",
    "form-status",
    "header",
    "header-subtitle",
    "header-title",
    "identification",
    "identification-actions",
    "identification-value",
    "identifications",
    "identity-preview",
    "identity-preview-text",
    "link",
    "link-button",
    "member",
    "members",
    "menu",
    "menu-item",
    "menu-item-account",
    "menu-separator",
    "modal",
    "modal-close",
    "modal-content",
    "nav",
    "nav-item",
    "organization-profile",
    "organization-switcher",
    "organization-switcher-box",
    "organization-switcher-name",
    "organization-switcher-trigger",
    "page",
    "popover",
    "profile-card",
    "role-select",
    "section",
    "section-title",
    "sign-in",
    "sign-up",
    "sr-only",
    "startup-failure",
    "startup-fix",
    "startup-problem",
    "startup-retrying",
    "startup-title",
    "totp-secret",
    "user-avatar",
    "user-button",
    "user-button-box",
    "user-button-name",
    "user-button-trigger",
    "user-preview",
    "user-preview-identifier",
    "user-preview-name",
    "user-preview-text",
    "user-profile",
];

/// How the prebuilt components look: Clerk's `appearance` option. Give it to
/// [`ClerkProvider`](crate::ClerkProvider) for every component, or to one component (its
/// settings go on top of the provider's).
///
/// `elements` adds classes to elements, keyed by the element's name: the class the
/// stylesheet gives it without the `cl-` prefix (`card`, `header-title`, `form-field-input`,
/// `form-button-primary`, `user-button-trigger`, `menu-item`…). [`ELEMENTS`] lists every key.
///
/// ```
/// use leptos_clerk::ui::{Appearance, Theme, Variables};
/// let appearance = Appearance::new()
///     .theme(Theme::Dark)
///     .variables(Variables { color_primary: Some("#0a7".into()), ..Default::default() })
///     .element("form-button-primary", "shadow-lg");
/// assert_eq!(appearance.class("form-button-primary"), "cl-form-button-primary shadow-lg");
/// assert_eq!(appearance.class("card"), "cl-card");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Appearance {
    /// Light, dark or auto; `None` keeps the provider's (light by default).
    pub theme: Option<Theme>,
    /// CSS variables.
    pub variables: Variables,
    /// Extra classes per element name.
    pub elements: BTreeMap<String, String>,
}

impl Appearance {
    /// The default look.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the theme.
    pub fn theme(mut self, theme: Theme) -> Self {
        self.theme = Some(theme);
        self
    }

    /// Sets the variables.
    pub fn variables(mut self, variables: Variables) -> Self {
        self.variables = variables;
        self
    }

    /// Adds classes to an element (space-separated; added to any given before).
    pub fn element(mut self, key: impl Into<String>, classes: impl AsRef<str>) -> Self {
        let slot = self.elements.entry(key.into()).or_default();
        if !slot.is_empty() {
            slot.push(' ');
        }
        slot.push_str(classes.as_ref());
        self
    }

    /// This appearance with `other` on top: its theme if set, its variables where set, its
    /// element classes added.
    pub fn merged(&self, other: &Appearance) -> Appearance {
        let mut merged = Appearance {
            theme: other.theme.or(self.theme),
            variables: self.variables.merged(&other.variables),
            elements: self.elements.clone(),
        };
        for (key, classes) in &other.elements {
            merged = merged.element(key.clone(), classes);
        }
        merged
    }

    /// The classes of an element: `cl-{key}` and the extra ones.
    pub fn class(&self, key: &str) -> String {
        match self.elements.get(key).filter(|c| !c.is_empty()) {
            Some(extra) => format!("cl-{key} {extra}"),
            None => format!("cl-{key}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The element keys the components use, read from their sources.
    fn keys_in_sources() -> Vec<String> {
        let sources = [
            include_str!("create_organization.rs"),
            include_str!("form.rs"),
            include_str!("kit.rs"),
            include_str!("menu.rs"),
            include_str!("organization_profile.rs"),
            include_str!("organization_switcher.rs"),
            include_str!("sign_in.rs"),
            include_str!("sign_up.rs"),
            include_str!("user_button.rs"),
            include_str!("user_profile.rs"),
        ];
        let mut keys = Vec::new();
        for source in sources {
            for marker in ["class(\"", "key=\""] {
                for (i, _) in source.match_indices(marker) {
                    let rest = &source[i + marker.len()..];
                    let key: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
                        .collect();
                    if !key.is_empty() && rest[key.len()..].starts_with('"') {
                        keys.push(key);
                    }
                }
            }
        }
        keys.sort();
        keys.dedup();
        keys
    }

    #[test]
    fn the_element_list_is_the_components_keys() {
        let listed: Vec<String> = ELEMENTS.iter().map(|k| k.to_string()).collect();
        let mut sorted = listed.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(listed, sorted, "ELEMENTS is sorted, without duplicates");
        assert_eq!(
            listed,
            keys_in_sources(),
            "ELEMENTS lists exactly the keys the components use"
        );
    }

    #[test]
    fn component_settings_go_on_top() {
        let provider = Appearance::new()
            .theme(Theme::Dark)
            .variables(Variables {
                color_primary: Some("red".into()),
                spacing: Some("1rem".into()),
                ..Default::default()
            })
            .element("card", "a");
        let local = Appearance::new()
            .variables(Variables {
                color_primary: Some("blue".into()),
                ..Default::default()
            })
            .element("card", "b");
        let m = provider.merged(&local);
        assert_eq!(m.theme, Some(Theme::Dark));
        assert_eq!(m.variables.color_primary.as_deref(), Some("blue"));
        assert_eq!(m.variables.spacing.as_deref(), Some("1rem"));
        assert_eq!(m.class("card"), "cl-card a b");
        assert_eq!(m.variables.css().count(), 2);
    }
}
