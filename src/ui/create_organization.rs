//! `<CreateOrganization/>`: name and slug, then the new organization becomes active.

use leptos::prelude::*;

use super::Appearance;
use super::form::{Field, Form, FormBox, Submit};
use super::kit::{Header, Root, Ui};
use crate::CreateOrganizationParams as NewOrganization;
use crate::OrganizationResource;
use crate::core::organization::slugify;

/// Clerk's form to create an organization: its name and slug (filled in from the name until
/// edited). The user becomes its admin and the organization becomes active; then
/// `on_created` runs, or the page goes to `after_create_organization_url`.
///
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::CreateOrganization;
/// # #[component] fn A() -> impl IntoView {
/// view! { <CreateOrganization after_create_organization_url="/org"/> }
/// # }
/// ```
#[component]
pub fn CreateOrganization(
    /// Appearance on top of the provider's.
    #[prop(optional)]
    appearance: Option<Appearance>,
    /// Where to go once the organization exists.
    #[prop(optional, into)]
    after_create_organization_url: Option<String>,
    /// Called with the new organization (after it became active).
    #[prop(optional, into)]
    on_created: Option<Callback<OrganizationResource>>,
) -> impl IntoView {
    let ui = Ui::new(appearance);
    let form = Form::new();
    let name = RwSignal::new(String::new());
    let slug = RwSignal::new(String::new());
    // the slug follows the name until the user edits it
    Effect::new(move |before: Option<String>| {
        let now = name.get();
        let auto = before.as_deref().map(slugify).unwrap_or_default();
        if slug.get_untracked() == auto {
            slug.set(slugify(&now));
        }
        now
    });
    let after = StoredValue::new(after_create_organization_url);
    let ui2 = ui;
    let submit = move || {
        form.clear();
        let ui = ui2;
        let (name, slug) = (name.get_untracked().trim().to_owned(), slug.get_untracked());
        if !form.require(&ui, &[("name", &name)]) {
            return;
        }
        form.submit(move || async move {
            let params = NewOrganization {
                name,
                slug: Some(slug.trim().to_owned()).filter(|s| !s.is_empty()),
            };
            let organization = ui.clerk.create_and_activate_organization(&params).await?;
            let url = after.get_value().filter(|u| !u.is_empty());
            if on_created.is_none() && url.is_none() {
                form.notify(ui.t().org_created());
            }
            if let Some(callback) = on_created {
                callback.run(organization);
            }
            if let Some(url) = url {
                ui.go(&url);
            }
            Ok(())
        });
    };
    view! {
        <Root ui=ui key="create-organization">
            <div class=ui.class("card")>
                <Header ui=ui title=ui.t().org_create().to_owned()/>
                <FormBox ui=ui form=form on_submit=submit>
                    <Field ui=ui form=form label=ui.t().label_org_name().to_owned() value=name
                        params=&["name"] autocomplete="organization" autofocus=true/>
                    <Field ui=ui form=form label=ui.t().label_org_slug().to_owned() value=slug
                        params=&["slug"] autocomplete="off"/>
                    <Submit ui=ui form=form label=ui.t().org_create().to_owned()/>
                </FormBox>
            </div>
        </Root>
    }
}
