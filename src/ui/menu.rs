//! The menu button pattern (WAI-ARIA APG) shared by `UserButton` and `OrganizationSwitcher`:
//! Enter, Space and the arrow keys open it, arrows/Home/End move between items, Escape closes
//! it and gives focus back to the button, Tab and clicks outside close it.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::kit::next_id;

#[derive(Clone, Copy, PartialEq)]
enum Focus {
    First,
    Last,
}

/// The state and handlers of one menu button.
#[derive(Clone, Copy)]
pub(super) struct Menu {
    pub open: RwSignal<bool>,
    pending: RwSignal<Option<Focus>>,
    pub trigger: NodeRef<leptos::html::Button>,
    pub list: NodeRef<leptos::html::Div>,
    pub root: NodeRef<leptos::html::Div>,
    id: StoredValue<String>,
}

impl Menu {
    pub fn new() -> Self {
        let menu = Self {
            open: RwSignal::new(false),
            pending: RwSignal::new(None),
            trigger: NodeRef::new(),
            list: NodeRef::new(),
            root: NodeRef::new(),
            id: StoredValue::new(next_id("menu")),
        };
        // focus an item once the list is in the DOM
        Effect::new(move |_| {
            if let (Some(_), Some(which)) = (menu.list.get(), menu.pending.get()) {
                menu.pending.set(None);
                let items = menu.items();
                let item = match which {
                    Focus::First => items.first(),
                    Focus::Last => items.last(),
                };
                if let Some(item) = item {
                    let _ = item.focus();
                }
            }
        });
        let outside = window_event_listener(ev::pointerdown, move |e| {
            if !menu.open.get_untracked() {
                return;
            }
            let target = e.target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
            let inside = menu
                .root
                .get_untracked()
                .is_some_and(|root| root.contains(target.as_ref()));
            if !inside {
                menu.open.set(false);
            }
        });
        on_cleanup(move || outside.remove());
        menu
    }

    /// The id of the menu element (for `aria-controls`).
    pub fn id(&self) -> String {
        self.id.get_value()
    }

    fn show(&self, focus: Focus) {
        self.open.set(true);
        self.pending.set(Some(focus));
    }

    /// Closes the menu; with `refocus`, focus goes back to the button.
    pub fn close(&self, refocus: bool) {
        self.open.set(false);
        if refocus && let Some(t) = self.trigger.get_untracked() {
            let _ = t.focus();
        }
    }

    /// Click (and Enter/Space, which click a button): toggles, focusing the first item.
    pub fn on_trigger_click(&self) {
        if self.open.get_untracked() {
            self.close(false);
        } else {
            self.show(Focus::First);
        }
    }

    /// Arrow keys on the button open the menu at the first or last item.
    pub fn on_trigger_keydown(&self, e: ev::KeyboardEvent) {
        match e.key().as_str() {
            "ArrowDown" => {
                e.prevent_default();
                self.show(Focus::First);
            }
            "ArrowUp" => {
                e.prevent_default();
                self.show(Focus::Last);
            }
            _ => {}
        }
    }

    /// Keys inside the menu.
    pub fn on_menu_keydown(&self, e: ev::KeyboardEvent) {
        let items = self.items();
        if items.is_empty() {
            return;
        }
        let active = document().active_element();
        let current = items.iter().position(|i| {
            active
                .as_ref()
                .is_some_and(|a| a == i.unchecked_ref::<web_sys::Element>())
        });
        let last = items.len() - 1;
        let next = match e.key().as_str() {
            "ArrowDown" => Some(current.map_or(0, |i| if i == last { 0 } else { i + 1 })),
            "ArrowUp" => Some(current.map_or(last, |i| if i == 0 { last } else { i - 1 })),
            "Home" => Some(0),
            "End" => Some(last),
            "Escape" => {
                e.prevent_default();
                self.close(true);
                None
            }
            "Tab" => {
                self.close(false);
                None
            }
            _ => None,
        };
        if let Some(i) = next {
            e.prevent_default();
            let _ = items[i].focus();
        }
    }

    fn items(&self) -> Vec<web_sys::HtmlElement> {
        let Some(list) = self.list.get_untracked() else {
            return Vec::new();
        };
        let Ok(nodes) = list.query_selector_all("[role=menuitem]") else {
            return Vec::new();
        };
        (0..nodes.length())
            .filter_map(|i| nodes.item(i)?.dyn_into::<web_sys::HtmlElement>().ok())
            .collect()
    }
}
