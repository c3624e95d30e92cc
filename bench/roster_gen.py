#!/usr/bin/env python3
"""Write a synthetic school roster for bench/import.sh: N graduates with every column the
import understands (学号 zero-padded, valid ID numbers with their check character, birth
dates and genders that agree with them, Chinese names, majors, phones …).

    python3 bench/roster_gen.py N OUT.xlsx|OUT.csv [SEED]

The .xlsx is written with the standard library only (inline strings, one sheet); the .csv
is UTF-8 with a BOM, as Excel's "CSV UTF-8" saves it.
"""
import csv
import datetime
import random
import sys
import zipfile
from xml.sax.saxutils import escape

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志强文博浩然子轩雨涵梓萱一诺欣怡佳怡俊杰宇轩浩宇思远晨曦嘉怡梦琪"
MAJORS = ["机电一体化技术", "数控技术", "电气自动化技术", "工业机器人技术", "汽车检测与维修技术", "电子信息工程技术",
          "物流管理", "会计", "计算机应用技术", "模具设计与制造", "焊接技术与自动化", "新能源汽车技术", "化工技术", "护理"]
EDUCATION = ["中职", "中专", "技校", "大专", "高职", "本科"]
SKILLS = ["PLC", "CAD", "电工", "焊接", "数控编程", "钳工", "SolidWorks", "Excel", "叉车", "质检", "装配", "Python"]
CERTS = ["电工证", "焊工证", "数控中级", "叉车证", "钳工中级", "计算机一级", "CAD中级"]
PLACES = ["肇庆新区", "端州区", "鼎湖区", "高要区", "四会市", "广州", "佛山"]
REGIONS = ["441202", "441203", "441204", "441223", "441284", "440106", "440604"]
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"
HEADER = ["序号", "学号", "姓名", "性别", "身份证号", "出生日期", "班级", "专业", "学历", "毕业年份", "手机", "邮箱",
          "技能", "证书", "意向地区", "期望薪资", "可到岗日期", "同意推荐", "备注"]


def id_number(rng, birth, male):
    seq = rng.randrange(0, 500) * 2 + (1 if male else 0)
    body = f"{rng.choice(REGIONS)}{birth:%Y%m%d}{seq:03d}"
    return body + CHECK[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


def rows(n, seed):
    rng = random.Random(seed)
    for i in range(n):
        male = rng.random() < 0.55
        birth = datetime.date(2003, 1, 1) + datetime.timedelta(days=rng.randrange(0, 1800))
        major = rng.choice(MAJORS)
        yield [
            str(i + 1),
            f"{2023000000 + i:010d}"[1:],  # 9 digits with a leading zero: 023000000…
            rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
            "男" if male else "女",
            id_number(rng, birth, male),
            birth.isoformat(),
            f"{major[:2]}{rng.randrange(2301, 2309)}班",
            major,
            rng.choice(EDUCATION),
            "2026届",
            f"1{rng.choice('3578')}{rng.randrange(0, 10**9):09d}",
            f"s{i:06d}@example.edu.cn",
            "、".join(rng.sample(SKILLS, rng.randrange(1, 4))),
            "、".join(rng.sample(CERTS, rng.randrange(0, 3))),
            "、".join(rng.sample(PLACES, rng.randrange(1, 3))),
            str(rng.randrange(35, 80) * 100),
            "2026-07-01",
            rng.choice(["是", "是", "是", "否"]),
            "在校期间参加技能竞赛，获校级奖项。" if rng.random() < 0.2 else "",
        ]


def column(index):
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def write_xlsx(path, data):
    def row_xml(r, values):
        cells = "".join(
            f'<c r="{column(c)}{r}" t="inlineStr"><is><t>{escape(v)}</t></is></c>' for c, v in enumerate(values) if v
        )
        return f'<row r="{r}">{cells}</row>'

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                   '</Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                   '</Relationships>')
        z.writestr("xl/workbook.xml",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                   '<sheets><sheet name="毕业生名单" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                   '</Relationships>')
        body = [row_xml(1, HEADER)] + [row_xml(r, values) for r, values in enumerate(data, start=2)]
        z.writestr("xl/worksheets/sheet1.xml",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                   + "".join(body) + "</sheetData></worksheet>")


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 2026
    data = rows(n, seed)
    if out.endswith(".csv"):
        with open(out, "w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f)
            w.writerow(HEADER)
            w.writerows(data)
    else:
        write_xlsx(out, data)


if __name__ == "__main__":
    main()
