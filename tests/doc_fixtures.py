"""Documents made by the tests themselves: a PDF printed by headless Chromium, a .docx, an HTML page."""

from __future__ import annotations

import subprocess
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"

# Page 1: one column. Page 2: two columns, its second paragraph running from the
# left column into the right one. Chromium prints its own running header (date,
# title) and footer (file URL, "1/2") on every page: furniture the reader must drop.
PDF_HTML = """<!doctype html><html><head><meta charset="utf-8"><title>江南晨报 第三版</title>
<style>body{font-family:"WenQuanYi Zen Hei",sans-serif;font-size:15px;line-height:1.6}
h1{font-size:24px} p{margin:0 0 1em} .cols{column-count:2;column-gap:48px;break-before:page}</style></head><body>
<h1>南湖大桥完成荷载试验</h1>
<p>本报讯 (记者 秦岚) 昨天，南湖大桥顺利完成静载和动载试验，试验共动用载重卡车32辆，各项指标均达到设计要求。</p>
<p>南湖大桥全长1.46公里，主跨长度为268米，是连接南湖新区与老城区的重要通道，预计下月底正式通车。</p>
<div class="cols"><h2>青溪镇新建图书馆开放</h2>
<p>本报讯 (记者 林晓) 昨天，青溪镇新建的镇图书馆正式对外开放，馆内藏书约4.2万册，设有少儿阅览区和数字阅览室。这是青溪镇今年完成的第一项民生实事工程。</p>
<p>图书馆位于镇文化中心二楼，开放时间为每天上午九点至晚上八点。镇文化站站长周敏介绍，图书馆还将与县图书馆实现通借通还，读者持一张借书证即可在全县范围内借阅图书，借阅期限一般为三十天，到期后还可以通过手机续借一次，续借期限同样为三十天，逾期未还的图书将暂停借阅权限，直到归还为止。开馆当天，不少居民带着孩子前来阅读，家住青溪新村的王女士说，以前借书要跑到县城，现在走几分钟就到了，非常方便。下一步，图书馆计划每月举办两场读书分享会，并在暑期开设少儿阅读训练营。</p>
<p>据了解，青溪镇还将在今年年底前建成五个村级图书分馆，形成覆盖全镇的公共阅读服务网络，届时全镇居民步行十五分钟内即可到达一处公共阅读空间。</p>
<p>镇文化站表示，图书分馆的图书将每季度轮换一次，每次轮换不少于三百册，确保村民能够读到新书。</p>
<p>此外，镇里还将招募五十名阅读志愿者，负责图书分馆的日常管理和阅读推广活动。</p>
</div></body></html>
"""
PDF_FACTS = {"青溪镇新建的镇图书馆藏书有多少册?": "4.2万册", "南湖大桥的主跨长度是多少?": "268米"}

HTML_PAGE = """<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>东湖湿地公园扩建完工 - 江城日报网</title>
<meta property="article:published_time" content="2024-05-18T09:30:00+08:00"></head><body>
<header><nav><a href="/">首页</a> | <a href="/news">新闻</a> | <a href="/about">关于我们</a> | <a href="/login">登录</a></nav></header>
<aside class="sidebar"><h3>热门推荐</h3><ul><li><a href="/a">明星八卦速递</a></li><li><a href="/b">今日股市行情速览</a></li></ul></aside>
<article><h1>东湖湿地公园扩建完工</h1>
<p>本报讯 (记者 郑远) 经过两年建设，东湖湿地公园扩建工程日前全面完工，公园总面积由原来的85公顷扩大到136公顷，新增的栈道全长约3.6公里。</p>
<p>扩建后的公园新设了观鸟平台六处、科普展馆一座。市园林局相关负责人介绍，园内目前已记录到鸟类127种，其中包括国家二级保护动物小天鹅。</p>
<p>据悉，公园将于本周六起免费向市民开放，开放时间为早上六点至晚上十点，节假日期间将增开两条接驳公交线路。</p>
</article>
<footer><p>版权所有 © 江城日报网 京ICP备12345678号</p><p>联系我们 广告服务 网站地图 友情链接</p></footer>
</body></html>
"""
HTML_FACTS = {"东湖湿地公园新增的栈道全长多少?": "3.6公里"}
HTML_BOILERPLATE = ("明星八卦速递", "版权所有", "关于我们")

DOCX_TITLE = "石塘村建成光伏发电站"
DOCX_PARAGRAPHS = [
    "本报讯 (记者 吴桐 通讯员 陈默) 近日，石塘村光伏发电站正式并网发电，电站装机容量为2.4兆瓦，年发电量约260万千瓦时。",
    "电站建在村里闲置的厂房屋顶上，总投资约980万元。村党支部书记刘海介绍，电站每年可为村集体增加收入约45万元。",
]
DOCX_FACTS = {"石塘村光伏发电站的装机容量是多少?": "2.4兆瓦"}


def make_pdf(folder: Path, name: str = "晨报第三版.pdf", html: str = PDF_HTML) -> Path:
    """Print ``html`` to a PDF with headless Chromium (with its running header and page-number footer)."""
    folder.mkdir(parents=True, exist_ok=True)
    page = folder / (name + ".html")
    page.write_text(html, encoding="utf-8")
    out = folder / name
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--print-to-pdf=%s" % out, page.as_uri()], check=True, capture_output=True, timeout=120)
    page.unlink()
    return out


def make_scanned_pdf(folder: Path, name: str = "扫描件.pdf") -> Path:
    """A PDF holding only a picture (what a scanner without OCR produces)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 800), "white")
    ImageDraw.Draw(image).rectangle((50, 50, 550, 120), fill="black")
    out = folder / name
    image.save(out, "PDF")
    return out


def make_docx(folder: Path, name: str = "光伏电站.docx") -> Path:
    """A Word document made with python-docx: a title heading, a page header, two paragraphs and a table."""
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "石塘村简报 第12期"  # page furniture, not body
    document.add_heading(DOCX_TITLE, level=1)
    for text in DOCX_PARAGRAPHS:
        document.add_paragraph(text)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "项目", "数值"
    table.cell(1, 0).text, table.cell(1, 1).text = "并网时间", "2024年6月。"
    out = folder / name
    document.save(out)
    return out


def make_html(folder: Path, name: str = "东湖湿地公园.html") -> Path:
    out = folder / name
    out.write_text(HTML_PAGE, encoding="utf-8")
    return out
