//! Companies that registered and wait for the service centre's review, so that the demo's
//! vetting queue (`/app/organizations`) is not empty. Each has an account (it may write
//! drafts) and a contact e-mail for the decision mail.

use super::world::demo_credit_code;
use crate::domain::organization::OrganizationFields;
use crate::domain::{Email, OrgKind, OrgStatus, Phone, Role};
use crate::store::{Tx, organizations, users};

/// (name, organisation code of the credit code, slug, district, address)
const APPLICANTS: &[(&str, &str, &str, &str, &str)] = &[
    ("肇庆鼎湖精密模具有限公司", "MA7D1H2K5", "dinghu-mold", "鼎湖区", "肇庆新区创新园 3 号厂房"),
    ("广东星湖新能源材料有限公司", "MA7E6N3Q8", "xinghu-energy", "端州区", "肇庆新区新能源产业园"),
    ("肇庆汇智物流供应链有限公司", "MA7F2L9T4", "huizhi-logistics", "高要区", "肇庆新区物流园 B 区"),
];

pub async fn add(tx: &mut Tx, password_hash: &str) -> anyhow::Result<()> {
    for (name, org_code, slug, district, address) in APPLICANTS {
        let email = Email::parse(&format!("hr@{slug}.demo")).map_err(anyhow::Error::msg)?;
        let fields = OrganizationFields {
            kind: OrgKind::Company,
            name: (*name).into(),
            credit_code: Some(demo_credit_code(org_code)),
            contact_name: Some("行政人事部".into()),
            contact_email: Some(email.clone()),
            contact_phone: Some(Phone::parse("0758-2816688").map_err(anyhow::Error::msg)?),
            district: Some((*district).into()),
            address: Some((*address).into()),
        };
        let org = organizations::insert(tx, &fields, OrgStatus::Pending).await?;
        users::insert(tx, &email, password_hash, Role::Company, org.id).await?;
    }
    Ok(())
}
