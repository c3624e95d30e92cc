//! The demo world: Zhaoqing New District's projects, parks and schools (shared/context).

use crate::domain::{Benefit, Category, Education, ProjectStage};

pub struct DemoCompany {
    pub name: &'static str,
    /// Login slug: hr@{slug}.demo
    pub slug: &'static str,
    /// The 9-character organisation code inside the credit code (the check character is computed).
    pub org_code: &'static str,
    pub district: &'static str,
    pub projects: &'static [DemoProject],
}

pub struct DemoProject {
    pub name: &'static str,
    pub park: &'static str,
    pub stage: ProjectStage,
    pub key_project: bool,
    pub shortage: i64,
}

pub const COMPANIES: &[DemoCompany] = &[
    DemoCompany {
        name: "奥士康科技股份有限公司",
        slug: "aoshikang",
        org_code: "MA4W1K8A3",
        district: "肇庆新区",
        projects: &[
            DemoProject { name: "奥士康项目一期（喜珍产业园）", park: "喜珍产业园", stage: ProjectStage::Production, key_project: true, shortage: 1200 },
            DemoProject { name: "奥士康高端印制电路板二期", park: "喜珍产业园", stage: ProjectStage::Construction, key_project: true, shortage: 600 },
        ],
    },
    DemoCompany {
        name: "维珍妮国际（肇庆）有限公司",
        slug: "weizhenni",
        org_code: "MA4UQ2R7X",
        district: "肇庆新区",
        projects: &[DemoProject { name: "维珍妮智能制造基地", park: "电子信息产业园", stage: ProjectStage::Construction, key_project: true, shortage: 900 }],
    },
    DemoCompany {
        name: "全芯半导体（肇庆）有限公司",
        slug: "quanxin",
        org_code: "MA55B3T9K",
        district: "肇庆新区",
        projects: &[DemoProject { name: "全芯半导体封装测试项目", park: "电子信息产业园", stage: ProjectStage::Construction, key_project: true, shortage: 350 }],
    },
    DemoCompany {
        name: "肇庆四海光电科技有限公司",
        slug: "sihai",
        org_code: "MA53C6L2P",
        district: "肇庆新区",
        projects: &[DemoProject { name: "四海光电LED显示模组项目", park: "电子信息产业园", stage: ProjectStage::Planning, key_project: false, shortage: 260 }],
    },
    DemoCompany {
        name: "肇庆华秋电子有限公司",
        slug: "huaqiu",
        org_code: "MA56D1N4Q",
        district: "肇庆新区",
        projects: &[DemoProject { name: "华秋电子PCBA配套项目", park: "奥士康配套产业园", stage: ProjectStage::Construction, key_project: false, shortage: 180 }],
    },
    DemoCompany {
        name: "肇庆宇宙自动化设备有限公司",
        slug: "yuzhou",
        org_code: "MA57E8H5R",
        district: "肇庆新区",
        projects: &[DemoProject { name: "宇宙自动化产线装备项目", park: "奥士康配套产业园", stage: ProjectStage::Planning, key_project: false, shortage: 90 }],
    },
    DemoCompany {
        name: "肇庆思沃精密机械有限公司",
        slug: "siwo",
        org_code: "MA58F2J6T",
        district: "肇庆新区",
        projects: &[DemoProject { name: "思沃精密机械加工项目", park: "奥士康配套产业园", stage: ProjectStage::Planning, key_project: false, shortage: 120 }],
    },
    DemoCompany {
        name: "肇庆新区城市建设有限公司",
        slug: "chengjian",
        org_code: "MA59G4K7U",
        district: "肇庆新区",
        projects: &[DemoProject { name: "电子信息产业园标准厂房（二期）", park: "电子信息产业园", stage: ProjectStage::Construction, key_project: true, shortage: 550 }],
    },
];

pub struct DemoSchool {
    pub name: &'static str,
    pub slug: &'static str,
    pub district: &'static str,
    pub levels: &'static [Education],
    pub majors: &'static [&'static str],
}

pub const SCHOOLS: &[DemoSchool] = &[
    DemoSchool {
        name: "肇庆技师学院",
        slug: "zqjsxy",
        district: "端州区",
        levels: &[Education::TechnicalSchool],
        majors: &["数控加工", "电气自动化设备安装与维修", "模具制造", "焊接加工", "电子技术应用"],
    },
    DemoSchool {
        name: "肇庆市工业贸易学校",
        slug: "zqgm",
        district: "端州区",
        levels: &[Education::SecondaryVocational],
        majors: &["电子技术应用", "机电技术应用", "物流服务与管理", "服装制作与生产管理", "会计事务"],
    },
    DemoSchool {
        name: "肇庆工商职业技术学院",
        slug: "zqgszy",
        district: "端州区",
        levels: &[Education::Associate],
        majors: &["机电一体化技术", "电子信息工程技术", "工业机器人技术", "现代物流管理", "建筑工程技术"],
    },
    DemoSchool {
        name: "肇庆科技职业技术学院",
        slug: "zqkj",
        district: "高要区",
        levels: &[Education::Associate],
        majors: &["应用电子技术", "智能控制技术", "汽车检测与维修技术", "电气自动化技术", "工程造价"],
    },
    DemoSchool {
        name: "广东工商职业技术大学",
        slug: "gdgszy",
        district: "端州区",
        levels: &[Education::Associate, Education::Bachelor],
        majors: &["电子信息工程技术", "智能制造工程技术", "大数据与会计", "国际经济与贸易", "软件工程技术"],
    },
    DemoSchool {
        name: "肇庆学院",
        slug: "zqu",
        district: "端州区",
        levels: &[Education::Bachelor, Education::Master],
        majors: &["电子信息工程", "机械设计制造及其自动化", "材料科学与工程", "计算机科学与技术", "人力资源管理"],
    },
];

/// What a company recruits for; salaries are CNY per month.
pub struct PostingTemplate {
    pub title: &'static str,
    pub category: Category,
    pub description: &'static str,
    pub majors: &'static [&'static str],
    pub education_min: Education,
    pub salary: (i64, i64),
    pub benefits: &'static [Benefit],
}

use Benefit::*;

pub const POSTINGS: &[PostingTemplate] = &[
    PostingTemplate { title: "SMT操作工", category: Category::Operator, description: "负责SMT贴片机上料、首件核对与产线巡检；两班倒，提供岗前带薪培训。", majors: &["电子技术应用", "电子信息工程技术"], education_min: Education::SecondaryVocational, salary: (4800, 6500), benefits: &[Dormitory, Meals, Shuttle, SocialInsurance, NightAllowance] },
    PostingTemplate { title: "PCB电镀操作员", category: Category::Operator, description: "按工艺卡操作沉铜、电镀线，记录药水参数，配合班组长完成产量目标。", majors: &["应用化工技术", "材料科学与工程"], education_min: Education::HighSchool, salary: (5000, 7000), benefits: &[Dormitory, Meals, SocialInsurance, OvertimePay, NightAllowance] },
    PostingTemplate { title: "数控机床操作工", category: Category::Operator, description: "操作数控车床、加工中心，能看懂机械图纸，持数控中级证优先。", majors: &["数控加工", "模具制造", "机械设计制造及其自动化"], education_min: Education::TechnicalSchool, salary: (5500, 7500), benefits: &[Dormitory, Meals, SocialInsurance, OvertimePay] },
    PostingTemplate { title: "设备维修技术员", category: Category::Maintenance, description: "负责产线设备日常点检、故障排除与预防性维护，熟悉PLC、气动与液压系统。", majors: &["机电一体化技术", "电气自动化技术", "电气自动化设备安装与维修"], education_min: Education::Associate, salary: (6000, 8500), benefits: &[Dormitory, Meals, Shuttle, SocialInsurance, Training] },
    PostingTemplate { title: "工艺工程师（PCB）", category: Category::Engineer, description: "负责钻孔、线路、阻焊等工序的工艺改善与良率提升，主导新产品导入。", majors: &["电子信息工程", "材料科学与工程", "应用化工技术"], education_min: Education::Bachelor, salary: (8000, 13000), benefits: &[Dormitory, Meals, SocialInsurance, Training] },
    PostingTemplate { title: "品质检验员（IPQC）", category: Category::Quality, description: "执行制程巡检与首件检验，填写品质报表，发现异常及时反馈。", majors: &["电子技术应用", "应用电子技术", "机电技术应用"], education_min: Education::SecondaryVocational, salary: (4500, 6000), benefits: &[Dormitory, Meals, SocialInsurance] },
    PostingTemplate { title: "仓管员", category: Category::Logistics, description: "负责原材料与成品的收发存、系统账务及盘点，会使用ERP系统。", majors: &["物流服务与管理", "现代物流管理"], education_min: Education::HighSchool, salary: (4300, 5500), benefits: &[Dormitory, Meals, SocialInsurance] },
    PostingTemplate { title: "叉车司机", category: Category::Logistics, description: "持特种设备作业证（叉车），负责厂内物料搬运与装卸。", majors: &[], education_min: Education::JuniorHigh, salary: (5000, 6500), benefits: &[Dormitory, Meals, OvertimePay] },
    PostingTemplate { title: "电工", category: Category::Maintenance, description: "负责厂区高低压配电设备巡检与维修，须持低压电工证。", majors: &["电气自动化技术", "电气自动化设备安装与维修"], education_min: Education::TechnicalSchool, salary: (5500, 7500), benefits: &[Dormitory, Meals, SocialInsurance, NightAllowance] },
    PostingTemplate { title: "工业机器人运维技术员", category: Category::Technician, description: "负责工业机器人示教编程、日常保养与故障处理，熟悉ABB或发那科机器人。", majors: &["工业机器人技术", "智能控制技术", "机电一体化技术"], education_min: Education::Associate, salary: (6500, 9000), benefits: &[Dormitory, Meals, Shuttle, SocialInsurance, Training] },
    PostingTemplate { title: "缝纫车位工", category: Category::Operator, description: "操作平车、冚车完成内衣部件缝制，计件工资，熟手优先，新手可培训。", majors: &["服装制作与生产管理"], education_min: Education::JuniorHigh, salary: (4500, 7500), benefits: &[Dormitory, Meals, Shuttle, SocialInsurance] },
    PostingTemplate { title: "半导体封装设备技术员", category: Category::Technician, description: "负责固晶、焊线、塑封设备的调试与保养，参与产线爬坡。", majors: &["应用电子技术", "电子信息工程技术", "微电子技术"], education_min: Education::Associate, salary: (6500, 9500), benefits: &[Dormitory, Meals, Shuttle, SocialInsurance, NightAllowance, Training] },
    PostingTemplate { title: "LED模组测试员", category: Category::Quality, description: "负责LED显示模组老化测试、外观检验与不良分析记录。", majors: &["应用电子技术", "电子技术应用"], education_min: Education::SecondaryVocational, salary: (4500, 6000), benefits: &[Dormitory, Meals, SocialInsurance] },
    PostingTemplate { title: "施工员", category: Category::Construction, description: "负责标准厂房土建施工现场的进度、质量与安全管理，持施工员证优先。", majors: &["建筑工程技术", "工程造价"], education_min: Education::Associate, salary: (6000, 9000), benefits: &[Dormitory, Meals, SocialInsurance] },
    PostingTemplate { title: "焊工", category: Category::Construction, description: "钢结构焊接作业，持焊工证（熔化焊接与热切割作业）。", majors: &["焊接加工"], education_min: Education::JuniorHigh, salary: (7000, 10000), benefits: &[Dormitory, Meals, OvertimePay] },
    PostingTemplate { title: "钢筋工", category: Category::Construction, description: "按图纸完成钢筋下料、绑扎与安装，服从现场调度。", majors: &[], education_min: Education::JuniorHigh, salary: (7000, 9500), benefits: &[Dormitory, Meals] },
    PostingTemplate { title: "行政文员", category: Category::Office, description: "负责文件收发、考勤统计、会议安排及园区来访接待。", majors: &["人力资源管理", "大数据与会计"], education_min: Education::Associate, salary: (4000, 5200), benefits: &[Meals, Shuttle, SocialInsurance] },
    PostingTemplate { title: "生产组长", category: Category::Management, description: "带领20人左右班组完成生产计划，负责排班、5S与新员工带教。", majors: &["机电一体化技术", "现代物流管理"], education_min: Education::Associate, salary: (6500, 8500), benefits: &[Dormitory, Meals, SocialInsurance, Training] },
    PostingTemplate { title: "外贸业务员", category: Category::Sales, description: "开拓海外客户，跟进订单与出货，英语可作为工作语言。", majors: &["国际经济与贸易"], education_min: Education::Associate, salary: (5000, 12000), benefits: &[Meals, SocialInsurance] },
    PostingTemplate { title: "自动化工程师", category: Category::Engineer, description: "负责非标自动化设备方案设计、PLC编程与现场调试。", majors: &["机械设计制造及其自动化", "电气自动化技术", "智能控制技术"], education_min: Education::Bachelor, salary: (9000, 15000), benefits: &[Meals, SocialInsurance, Training] },
];

pub const SURNAMES: &[&str] = &["陈", "李", "黄", "张", "梁", "刘", "林", "何", "罗", "吴", "谭", "冯", "邓", "麦", "梁", "苏", "周", "叶", "区", "莫"];
pub const GIVEN: &[&str] = &["嘉欣", "俊杰", "晓彤", "志豪", "美玲", "家豪", "泳诗", "伟健", "思敏", "浩然", "婉婷", "子轩", "诗琪", "建华", "梓涵", "锦鹏", "雅琳", "国栋", "佩珊", "文轩"];
pub const SKILLS: &[&str] = &["PLC编程", "CAD制图", "SMT", "数控编程", "电路焊接", "ERP系统", "Office办公", "机器人示教", "钳工", "万用表检测", "英语四级", "叉车驾驶", "质量管理", "Python"];
pub const CERTIFICATES: &[&str] = &["低压电工证", "数控车工中级", "焊工证", "叉车证", "电工中级", "CAD绘图员", "维修电工中级", "施工员证", "计算机一级"];
pub const LOCATIONS: &[&str] = &["肇庆新区", "端州区", "鼎湖区", "高要区", "四会市"];
