//! `<OrganizationProfile/>`: the active organization's name (and leaving it), its members with
//! their roles (changed and removed by admins), and invitations (sent and revoked by admins).

use leptos::prelude::*;

use super::Appearance;
use super::form::{Field, Form, FormBox, FormStatus, Secondary, SelectField, Submit};
use super::kit::Section;
use super::kit::{Avatar, Header, NavItem, Preview, PreviewText, Root, Ui, org_initials};
use super::localization::fill;
use crate::core::error::ClerkError;
use crate::core::wire::OrganizationMembership;
use crate::{
    Clerk, MembershipsPage, OrganizationInvitationResource, OrganizationResource,
    UpdateOrganizationParams,
};

/// The active organization, to act on.
fn active(clerk: Clerk) -> Result<OrganizationResource, ClerkError> {
    clerk
        .organization()
        .get_untracked()
        .ok_or(ClerkError::NoActiveOrganization)
}

/// The first hundred of a list.
const ALL: MembershipsPage = MembershipsPage {
    page: 1,
    page_size: 100,
};

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

/// Clerk's organization profile for the active organization: its name (editable by members
/// allowed to manage the profile) and a way to leave it; its members with their roles; and,
/// for members allowed to manage memberships, a role picker and a remove button per member,
/// an invitation form and the pending invitations, each revocable.
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
    let signed_in = Memo::new(move |_| clerk.session_id().with(Option::is_some));
    let page = RwSignal::new(Page::General);
    move || {
        if !signed_in.get() {
            return None;
        }
        // Tracked: another organization renders its pages anew.
        if org_id.get().is_none() {
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
        }
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
                            <NavItem ui=ui label=ui.t().org_profile_nav_general().to_owned() page=page target=Page::General/>
                            <NavItem ui=ui label=ui.t().org_profile_nav_members().to_owned() page=page target=Page::Members/>
                        </nav>
                        <div class=ui.class("page")>
                            {move || {
                                let rights = rights.get().unwrap_or(Rights {
                                    manage_profile: false,
                                    manage_members: false,
                                });
                                let ui = ui2;
                                match page.get() {
                                    Page::General => view! { <General ui=ui rights=rights/> }.into_any(),
                                    Page::Members => {
                                        view! { <Members ui=ui rights=rights/> }.into_any()
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
            let slug = new_slug.trim();
            let change = UpdateOrganizationParams {
                name: Some(new_name),
                slug: (!slug.is_empty()).then(|| slug.to_owned()),
            };
            active(ui.clerk)?.update(&change).await?;
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
        <Leave ui=ui/>
    }
}

/// Leaving the active organization, after a confirmation.
#[component]
fn Leave(ui: Ui) -> impl IntoView {
    let organization = ui.clerk.organization();
    let form = Form::new();
    let asking = RwSignal::new(false);
    let submit = move || {
        form.clear();
        form.submit(move || async move {
            let id = active(ui.clerk)?.id.clone();
            let user = ui.clerk.user().get_untracked();
            user.ok_or(ClerkError::SignedOut)?
                .leave_organization(&id)
                .await
        });
    };
    let name =
        move || organization.with(|o| o.as_ref().map(|o| o.name.clone()).unwrap_or_default());
    view! {
        <Section ui=ui title=ui.t().org_profile_leave().to_owned()>
            {move || if asking.get() {
                view! {
                    <FormBox ui=ui form=form on_submit=submit>
                        <p class=ui.class("form-hint")>
                            {fill(ui.t().org_profile_leave_confirm(), &[("organization", &name())])}
                        </p>
                        <div class=ui.class("form-actions")>
                            <Secondary ui=ui label=ui.t().form_cancel().to_owned() on_click=move || asking.set(false)/>
                            <button type="submit" class=ui.class("form-button-danger") disabled=move || form.busy()>
                                {ui.t().org_profile_leave().to_owned()}
                            </button>
                        </div>
                    </FormBox>
                }
                .into_any()
            } else {
                view! {
                    <div class=ui.class("form-actions")>
                        <Secondary ui=ui key="button-small-danger" label=ui.t().org_profile_leave().to_owned()
                            on_click=move || asking.set(true)/>
                    </div>
                }
                .into_any()
            }}
        </Section>
    }
}

/// The roles an invitation may give: the organization's, else Clerk's two system roles.
async fn roles(ui: Ui, org: &OrganizationResource) -> Vec<(String, String)> {
    match org.get_roles(ALL).await {
        Ok(page) if !page.data.is_empty() => page
            .data
            .into_iter()
            .map(|r| (r.key.clone(), r.label().to_owned()))
            .collect(),
        _ => vec![
            ("org:member".into(), ui.t().role_member().to_owned()),
            ("org:admin".into(), ui.t().role_admin().to_owned()),
        ],
    }
}

async fn invitations(clerk: Clerk) -> Result<Vec<OrganizationInvitationResource>, ClerkError> {
    let page = active(clerk)?.get_invitations(ALL).await?;
    Ok(page
        .data
        .into_iter()
        .filter(|invitation| invitation.status == "pending")
        .collect())
}

/// The members of an organization, read by anyone who may; with a role picker and a remove
/// button per other member for those who may manage members.
#[component]
fn Members(ui: Ui, rights: Rights) -> impl IntoView {
    let clerk = ui.clerk;
    let members = RwSignal::new(None::<Vec<OrganizationMembership>>);
    let pending = RwSignal::new(Vec::<OrganizationInvitationResource>::new());
    let role_options = RwSignal::new(Vec::<(String, String)>::new());
    let removing = RwSignal::new(None::<(String, String)>);
    let list_form = Form::new();
    let load = move || async move {
        let page = active(clerk)?.get_memberships(ALL).await?;
        members.try_set(Some(page.data));
        Ok::<_, ClerkError>(())
    };
    list_form.submit(move || async move {
        load().await?;
        if rights.manage_members {
            pending.try_set(invitations(clerk).await?);
            role_options.try_set(roles(ui, &active(clerk)?).await);
        }
        Ok(())
    });
    let change_role = move |user_id: String, role: String| {
        list_form.clear();
        list_form.submit(move || async move {
            active(clerk)?.update_member(&user_id, &role).await?;
            load().await?;
            list_form.notify(ui.t().org_member_role_updated());
            Ok(())
        });
    };
    let remove_form = Form::new();
    let remove = move || {
        let Some((user_id, _)) = removing.get_untracked() else {
            return;
        };
        remove_form.clear();
        list_form.clear();
        remove_form.submit(move || async move {
            active(clerk)?.remove_member(&user_id).await?;
            removing.try_set(None);
            load().await?;
            list_form.notify(ui.t().org_member_removed());
            Ok(())
        });
    };
    let me = clerk
        .user()
        .with_untracked(|u| u.as_ref().map(|u| u.id.clone()));
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
                        let manage = rights.manage_members && !you;
                        let user_id = data.user_id.clone().unwrap_or_default();
                        let name = data.display_name();
                        let role_text = if m.role_name.is_empty() { m.role.clone() } else { m.role_name.clone() };
                        let role_cell = if manage {
                            let (current, user_id) = (m.role.clone(), user_id.clone());
                            let options = move || {
                                role_options
                                    .get()
                                    .into_iter()
                                    .map(|(key, label)| {
                                        let selected = key == current;
                                        view! { <option value=key selected=selected>{label}</option> }
                                    })
                                    .collect_view()
                            };
                            view! {
                                <select
                                    class=format!("{} {}", ui.class("form-field-input"), ui.class("role-select"))
                                    aria-label=fill(ui.t().org_member_role_of(), &[("name", &name)])
                                    disabled=move || list_form.busy()
                                    on:change=move |ev| change_role(user_id.clone(), event_target_value(&ev))
                                >
                                    {options}
                                </select>
                            }
                            .into_any()
                        } else {
                            view! { <span>{role_text}</span> }.into_any()
                        };
                        let (remove_id, remove_name) = (user_id, name.clone());
                        view! {
                            <tr>
                                <td>
                                    <span class=ui.class("member")>
                                        <Avatar ui=ui image=data.image_url.clone().filter(|_| data.has_image)
                                            initials=data.initials() size="sm"/>
                                        <PreviewText ui=ui name=name detail=Some(data.identifier.clone())>
                                            {you.then(|| view! { <span class=ui.class("badge")>{ui.t().org_member_you().to_owned()}</span> })}
                                        </PreviewText>
                                    </span>
                                </td>
                                <td>{role_cell}</td>
                                {rights.manage_members.then(|| view! {
                                    <td>
                                        {manage.then(|| view! {
                                            <Secondary ui=ui key="button-small-danger" label=ui.t().org_member_remove().to_owned()
                                                disabled=Signal::derive(move || list_form.busy())
                                                on_click=move || removing.set(Some((remove_id.clone(), remove_name.clone())))/>
                                        })}
                                    </td>
                                })}
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
                                {rights.manage_members.then(|| view! {
                                    <th scope="col"><span class=ui.class("sr-only")>{ui.t().org_column_actions().to_owned()}</span></th>
                                })}
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                }
            })}
            {move || removing.get().map(|(_, name)| view! {
                <FormBox ui=ui form=remove_form on_submit=remove>
                    <p class=ui.class("form-hint")>{fill(ui.t().org_member_remove_confirm(), &[("name", &name)])}</p>
                    <div class=ui.class("form-actions")>
                        <Secondary ui=ui label=ui.t().form_cancel().to_owned() on_click=move || {
                            remove_form.clear();
                            removing.set(None);
                        }/>
                        <button type="submit" class=ui.class("form-button-danger") disabled=move || remove_form.busy()>
                            {ui.t().org_member_remove().to_owned()}
                        </button>
                    </div>
                </FormBox>
            })}
        </Section>
        {rights.manage_members.then(|| view! {
            <Invite ui=ui pending=pending roles=role_options/>
        })}
    }
}

#[component]
fn Invite(
    ui: Ui,
    pending: RwSignal<Vec<OrganizationInvitationResource>>,
    roles: RwSignal<Vec<(String, String)>>,
) -> impl IntoView {
    let clerk = ui.clerk;
    let form = Form::new();
    let email = RwSignal::new(String::new());
    let role = RwSignal::new(String::from("org:member"));
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
        form.submit(move || async move {
            active(clerk)?.invite_member(&address, &role_key).await?;
            email.try_set(String::new());
            form.notify(ui.t().org_profile_invited());
            pending.try_set(invitations(clerk).await?);
            Ok(())
        });
    };
    let revoke = move |invitation_id: String| {
        form.clear();
        let invitation =
            pending.with_untracked(|p| p.iter().find(|i| i.id == invitation_id).cloned());
        form.submit(move || async move {
            if let Some(invitation) = invitation {
                invitation.revoke().await?;
            }
            pending.try_set(invitations(clerk).await?);
            form.notify(ui.t().org_invitation_revoked());
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
                        let id = i.id.clone();
                        view! {
                            <li class=ui.class("identification") data-id=i.id.clone()>
                                <span class=ui.class("identification-value")>{i.email_address.clone()}</span>
                                <span class=ui.class("badge")>{role}</span>
                                <span class=ui.class("identification-actions")>
                                    <Secondary ui=ui key="button-small-danger" label=ui.t().org_invitation_revoke().to_owned()
                                        disabled=Signal::derive(move || form.busy())
                                        on_click=move || revoke(id.clone())/>
                                </span>
                            </li>
                        }
                    })
                    .collect_view();
                view! { <ul class=ui.class("identifications")>{rows}</ul> }.into_any()
            }}
        </Section>
    }
}
