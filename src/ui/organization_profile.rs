//! `<OrganizationProfile/>`: the active organization's name, its members with their roles, and
//! invitations for admins.

use leptos::prelude::*;

use super::Appearance;
use super::form::{Field, Form, FormBox, FormStatus, SelectField, Submit};
use super::kit::{Avatar, Header, Preview, PreviewText, Root, Ui, org_initials};
use super::user_profile::Section;
use crate::clerk::{Clerk, MembershipsPage};
use crate::core::error::ClerkError;
use crate::core::request::{FapiRequest, Method};
use crate::core::wire::{Organization, OrganizationInvitation, OrganizationMembership, Paginated};

#[derive(Clone, Copy, PartialEq)]
enum Page {
    General,
    Members,
}

/// What the current member may do.
#[derive(Clone, Copy, PartialEq)]
struct Rights {
    manage_profile: bool,
    manage_members: bool,
}

impl Rights {
    fn of(m: &OrganizationMembership) -> Self {
        let admin = m.role == "org:admin";
        Self {
            manage_profile: admin || m.has_permission("org:sys_profile:manage"),
            manage_members: admin || m.has_permission("org:sys_memberships:manage"),
        }
    }
}

/// A role an invitation may give.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
struct Role {
    key: String,
    #[serde(default)]
    name: String,
}

/// Clerk's organization profile for the active organization: its name (editable by members
/// allowed to manage the profile), its members with their roles, and, for members allowed
/// to manage memberships, an invitation form and the pending invitations.
///
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::OrganizationProfile;
/// # #[component] fn A() -> impl IntoView {
/// view! { <OrganizationProfile/> }
/// # }
/// ```
#[component]
pub fn OrganizationProfile(
    /// Appearance on top of the provider's.
    #[prop(optional)]
    appearance: Option<Appearance>,
) -> impl IntoView {
    let ui = Ui::new(appearance);
    let clerk = ui.clerk;
    let organization = clerk.organization();
    let membership = clerk.membership();
    let org_id = Memo::new(move |_| organization.with(|o| o.as_ref().map(|o| o.id.clone())));
    let rights = Memo::new(move |_| membership.with(|m| m.as_ref().map(Rights::of)));
    let signed_in = Memo::new(move |_| clerk.session_data.with(Option::is_some));
    let page = RwSignal::new(Page::General);
    move || {
        if !signed_in.get() {
            return None;
        }
        let Some(id) = org_id.get() else {
            return Some(
                view! {
                    <Root ui=ui key="organization-profile">
                        <div class=ui.class("card")>
                            <Header ui=ui title=ui.t().org_profile_title().to_owned()/>
                            <p class=ui.class("form-hint")>{ui.t().org_profile_none().to_owned()}</p>
                        </div>
                    </Root>
                }
                .into_any(),
            );
        };
        let nav = ui.class("nav-item");
        let nav_item = move |label: String, target: Page| {
            view! {
                <button
                    type="button"
                    class=nav.clone()
                    aria-current=move || (page.get() == target).then_some("page")
                    on:click=move |_| page.set(target)
                >
                    {label}
                </button>
            }
        };
        let ui2 = ui;
        let title = Signal::derive(move || {
            organization.with(|o| o.as_ref().map(|o| o.name.clone()).unwrap_or_default())
        });
        Some(
            view! {
                <Root ui=ui key="organization-profile">
                    <div class=format!("{} {}", ui.class("card"), ui.class("profile-card"))>
                        <nav class=ui.class("nav") aria-label=ui.t().org_profile_title().to_owned()>
                            <Header ui=ui title=title subtitle=ui.t().org_profile_title().to_owned()/>
                            {nav_item(ui.t().org_profile_nav_general().to_owned(), Page::General)}
                            {nav_item(ui.t().org_profile_nav_members().to_owned(), Page::Members)}
                        </nav>
                        <div class=ui.class("page")>
                            {move || {
                                let rights = rights.get().unwrap_or(Rights {
                                    manage_profile: false,
                                    manage_members: false,
                                });
                                let (ui, id) = (ui2, id.clone());
                                match page.get() {
                                    Page::General => view! { <General ui=ui rights=rights/> }.into_any(),
                                    Page::Members => {
                                        view! { <Members ui=ui org_id=id rights=rights/> }.into_any()
                                    }
                                }
                            }}
                        </div>
                    </div>
                </Root>
            }
            .into_any(),
        )
    }
}

#[component]
fn General(ui: Ui, rights: Rights) -> impl IntoView {
    let clerk = ui.clerk;
    let organization = clerk.organization();
    let current = organization.get_untracked();
    let name = RwSignal::new(current.as_ref().map(|o| o.name.clone()).unwrap_or_default());
    let slug = RwSignal::new(current.as_ref().map(|o| o.slug.clone()).unwrap_or_default());
    let form = Form::new();
    let ui2 = ui;
    let submit = move || {
        form.clear();
        let ui = ui2;
        let (new_name, new_slug) = (name.get_untracked().trim().to_owned(), slug.get_untracked());
        if !form.require(&ui, &[("name", &new_name)]) {
            return;
        }
        form.submit(move || async move {
            let id = organization
                .get_untracked()
                .map(|o| o.id)
                .ok_or(ClerkError::SignedOut)?;
            update_organization(ui.clerk, &id, &new_name, new_slug.trim()).await?;
            form.notify(ui.t().form_saved());
            Ok(())
        });
    };
    let ui3 = ui;
    view! {
        <Section ui=ui title=ui.t().org_profile_details().to_owned()>
            {move || organization.get().map(|o| view! {
                <Preview ui=ui3 image=o.has_image.then(|| o.image_url.clone())
                    initials=org_initials(&o.name) name=o.name.clone() detail=Some(o.slug.clone())/>
            })}
            {rights.manage_profile.then(|| view! {
                <FormBox ui=ui form=form on_submit=submit>
                    <Field ui=ui form=form label=ui.t().label_org_name().to_owned() value=name
                        params=&["name"] autocomplete="organization"/>
                    <Field ui=ui form=form label=ui.t().label_org_slug().to_owned() value=slug
                        params=&["slug"] autocomplete="off"/>
                    <Submit ui=ui form=form label=ui.t().form_save().to_owned()/>
                </FormBox>
            })}
        </Section>
    }
}

/// `PATCH /v1/organizations/{id}`, then reloads the user so the memberships show the change.
async fn update_organization(
    clerk: Clerk,
    id: &str,
    name: &str,
    slug: &str,
) -> Result<Organization, ClerkError> {
    let mut request =
        FapiRequest::new(Method::Patch, format!("/organizations/{id}")).field("name", name);
    if !slug.is_empty() {
        request = request.field("slug", slug);
    }
    let organization: Organization = clerk.call(request).await?;
    if let Some(user) = clerk.user().get_untracked() {
        user.reload().await?;
    }
    Ok(organization)
}

/// The roles an invitation may give: the organization's, else Clerk's two system roles.
async fn roles(ui: Ui, org_id: &str) -> Vec<(String, String)> {
    let clerk = ui.clerk;
    let request = FapiRequest::new(Method::Get, format!("/organizations/{org_id}/roles"))
        .query("limit", "100");
    match clerk.call::<Paginated<Role>>(request).await {
        Ok(page) if !page.data.is_empty() => page
            .data
            .into_iter()
            .map(|r| {
                let name = if r.name.is_empty() {
                    r.key.clone()
                } else {
                    r.name
                };
                (r.key, name)
            })
            .collect(),
        _ => vec![
            ("org:member".into(), ui.t().role_member().to_owned()),
            ("org:admin".into(), ui.t().role_admin().to_owned()),
        ],
    }
}

async fn invitations(
    clerk: Clerk,
    org_id: &str,
) -> Result<Vec<OrganizationInvitation>, ClerkError> {
    let page = clerk
        .organization_invitations(
            org_id,
            MembershipsPage {
                page: 1,
                page_size: 100,
            },
        )
        .await?;
    Ok(page
        .data
        .into_iter()
        .filter(|invitation| invitation.status == "pending")
        .collect())
}

#[component]
fn Members(ui: Ui, org_id: String, rights: Rights) -> impl IntoView {
    let clerk = ui.clerk;
    let members = RwSignal::new(None::<Vec<OrganizationMembership>>);
    let pending = RwSignal::new(Vec::<OrganizationInvitation>::new());
    let role_options = RwSignal::new(Vec::<(String, String)>::new());
    let list_form = Form::new();
    {
        let org_id = org_id.clone();
        list_form.submit(move || async move {
            let page = clerk
                .organization_members(
                    &org_id,
                    MembershipsPage {
                        page: 1,
                        page_size: 100,
                    },
                )
                .await?;
            members.try_set(Some(page.data));
            if rights.manage_members {
                pending.try_set(invitations(clerk, &org_id).await?);
                role_options.try_set(roles(ui, &org_id).await);
            }
            Ok(())
        });
    }
    let me = clerk.session_data.with_untracked(|s| {
        s.as_ref()
            .and_then(|s| s.user.as_ref())
            .map(|u| u.id.clone())
    });
    let ui_rows = ui;
    view! {
        <Section ui=ui title=ui.t().org_profile_members().to_owned()>
            <FormStatus ui=ui form=list_form/>
            {move || members.get().map(|list| {
                let ui = ui_rows;
                let rows = list
                    .into_iter()
                    .map(|m| {
                        let data = m.public_user_data.clone().unwrap_or_default();
                        let you = data.user_id.is_some() && data.user_id == me;
                        let role = if m.role_name.is_empty() { m.role.clone() } else { m.role_name.clone() };
                        view! {
                            <tr>
                                <td>
                                    <span class=ui.class("member")>
                                        <Avatar ui=ui image=data.image_url.clone().filter(|_| data.has_image)
                                            initials=data.initials() size="sm"/>
                                        <PreviewText ui=ui name=data.display_name() detail=Some(data.identifier.clone())>
                                            {you.then(|| view! { <span class=ui.class("badge")>{ui.t().org_member_you().to_owned()}</span> })}
                                        </PreviewText>
                                    </span>
                                </td>
                                <td>{role}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <table class=ui.class("members")>
                        <thead>
                            <tr>
                                <th scope="col">{ui.t().org_column_user().to_owned()}</th>
                                <th scope="col">{ui.t().org_column_role().to_owned()}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                }
            })}
        </Section>
        {rights.manage_members.then(|| view! {
            <Invite ui=ui org_id=org_id.clone() pending=pending roles=role_options/>
        })}
    }
}

#[component]
fn Invite(
    ui: Ui,
    org_id: String,
    pending: RwSignal<Vec<OrganizationInvitation>>,
    roles: RwSignal<Vec<(String, String)>>,
) -> impl IntoView {
    let clerk = ui.clerk;
    let form = Form::new();
    let email = RwSignal::new(String::new());
    let role = RwSignal::new(String::from("org:member"));
    let org = StoredValue::new(org_id);
    let ui2 = ui;
    let submit = move || {
        form.clear();
        let ui = ui2;
        let (address, role_key) = (
            email.get_untracked().trim().to_owned(),
            role.get_untracked(),
        );
        if !form.require(&ui, &[("email_address", &address)]) {
            return;
        }
        let org_id = org.get_value();
        form.submit(move || async move {
            clerk.invite_member(&org_id, &address, &role_key).await?;
            email.try_set(String::new());
            form.notify(ui.t().org_profile_invited());
            pending.try_set(invitations(clerk, &org_id).await?);
            Ok(())
        });
    };
    let ui_list = ui;
    view! {
        <Section ui=ui title=ui.t().org_profile_invite().to_owned()>
            <FormBox ui=ui form=form on_submit=submit>
                <div class=ui.class("form-row")>
                    <Field ui=ui form=form label=ui.t().label_invite_email().to_owned() value=email
                        params=&["email_address", "identifier"] kind="email" autocomplete="off"/>
                    <SelectField ui=ui form=form label=ui.t().label_role().to_owned() value=role
                        params=&["role"] options=roles/>
                </div>
                <Submit ui=ui form=form label=ui.t().org_profile_invite().to_owned()/>
            </FormBox>
        </Section>
        <Section ui=ui title=ui.t().org_profile_invitations().to_owned()>
            {move || {
                let ui = ui_list;
                let list = pending.get();
                if list.is_empty() {
                    return view! { <p class=ui.class("form-hint")>{ui.t().org_profile_no_invitations().to_owned()}</p> }
                        .into_any();
                }
                let rows = list
                    .into_iter()
                    .map(|i| {
                        let role = if i.role_name.is_empty() { i.role.clone() } else { i.role_name.clone() };
                        view! {
                            <li class=ui.class("identification") data-id=i.id.clone()>
                                <span class=ui.class("identification-value")>{i.email_address.clone()}</span>
                                <span class=ui.class("badge")>{role}</span>
                            </li>
                        }
                    })
                    .collect_view();
                view! { <ul class=ui.class("identifications")>{rows}</ul> }.into_any()
            }}
        </Section>
    }
}
