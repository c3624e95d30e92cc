//! Industrial projects: companies keep their own; coordinators and schools read them all.

use super::{Actor, check_write, owning_org, patched};
use crate::domain::project::{NewProject, Project, ProjectFields};
use crate::domain::{New, OrgKind, Patch, Role};
use crate::error::{AppError, AppResult};
use crate::store::{Db, Page, PageRequest, audit, postings, projects};

fn may_read(actor: &Actor, project: &Project) -> bool {
    actor.role != Role::Company || actor.organization_id == project.organization_id
}

pub async fn create(db: &Db, actor: &Actor, new: NewProject) -> AppResult<Project> {
    let New { organization_id, fields } = new;
    let mut tx = db.begin().await?;
    let org = owning_org(&mut tx, actor, organization_id, OrgKind::Company).await?;
    let project = projects::insert(&mut tx, org, &fields).await?;
    audit::record(&mut tx, Some(actor.user_id), Some(org), "create", "project", Some(project.id)).await?;
    tx.commit().await?;
    Ok(project)
}

pub async fn get(db: &Db, actor: &Actor, id: i64) -> AppResult<Project> {
    let project = projects::get(&mut db.read().await?, id).await?.ok_or(AppError::NotFound)?;
    if may_read(actor, &project) { Ok(project) } else { Err(AppError::NotFound) }
}

pub async fn list(
    db: &Db,
    actor: &Actor,
    organization_id: Option<i64>,
    park: Option<&str>,
    page: PageRequest,
) -> AppResult<Page<Project>> {
    let organization_id = if actor.role == Role::Company { Some(actor.organization_id) } else { organization_id };
    let (items, total) = projects::list(&mut db.read().await?, organization_id, park, page).await?;
    Ok(Page::new(items, total, page))
}

pub async fn update(db: &Db, actor: &Actor, id: i64, patch: Patch<ProjectFields>) -> AppResult<Project> {
    let mut tx = db.begin().await?;
    let current = projects::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    check_write(actor, current.organization_id, OrgKind::Company)?;
    let fields = patched(patch, &current)?;
    let project = projects::update(&mut tx, id, &fields).await?.ok_or(AppError::NotFound)?;
    audit::record(&mut tx, Some(actor.user_id), Some(project.organization_id), "update", "project", Some(id)).await?;
    tx.commit().await?;
    Ok(project)
}

pub async fn delete(db: &Db, actor: &Actor, id: i64) -> AppResult<()> {
    let mut tx = db.begin().await?;
    let current = projects::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    check_write(actor, current.organization_id, OrgKind::Company)?;
    if postings::count_for_project(&mut tx, id).await? > 0 {
        return Err(AppError::Conflict(
            "The project still has postings; close or move them first. / 该项目仍有岗位，无法删除。".into(),
        ));
    }
    projects::delete(&mut tx, id).await?;
    audit::record(&mut tx, Some(actor.user_id), Some(current.organization_id), "delete", "project", Some(id)).await?;
    tx.commit().await?;
    Ok(())
}
