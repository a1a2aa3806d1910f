// The newsdesk reader: a static page that renders a news portal from the
// newsdesk GraphQL API on another origin. Queries go over GET, so browsers
// and CDNs can cache them (the API sends ETag and Cache-Control).

import { API } from "./config.js";

// ?api=https://… overrides the configured API (handy for trying servers).
const api = new URL(location.href).searchParams.get("api") || API;
document.getElementById("api-link").href = api + "/";

const main = document.getElementById("main");
const errorBox = document.getElementById("error");

// Dates print dd/mm/yyyy in Vietnam's time zone, as Vietnamese portals do.
const dateFormat = new Intl.DateTimeFormat("vi-VN", {
  timeZone: "Asia/Ho_Chi_Minh", day: "2-digit", month: "2-digit", year: "numeric",
});
const date = (iso) => (iso ? dateFormat.format(new Date(iso)) : "");

// gql runs a query over GET with a deadline, so that a refused or dead
// server shows an error instead of a page that waits forever.
async function gql(query, variables = {}) {
  const url = new URL(api + "/graphql");
  url.searchParams.set("query", query);
  url.searchParams.set("variables", JSON.stringify(variables));
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), 8000);
  let res;
  try {
    res = await fetch(url, { signal: ctl.signal, headers: { Accept: "application/json" } });
  } catch (e) {
    throw new Error(`Không kết nối được tới máy chủ tin tức (${api}): ${e.name === "AbortError" ? "quá thời gian chờ" : "bị chặn hoặc không phản hồi"}.`);
  } finally {
    clearTimeout(timer);
  }
  const body = await res.json().catch(() => null);
  if (!res.ok || !body || body.errors) {
    const msg = body && body.errors ? body.errors.map((e) => e.message).join("; ") : `HTTP ${res.status}`;
    throw new Error(`Máy chủ tin tức trả lỗi: ${msg}`);
  }
  return body.data;
}

// el builds an element; text children are text, never HTML.
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "html") node.innerHTML = v; // only HTML the API sanitised or escaped
    else if (v !== undefined && v !== null) node.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c);
  return node;
}

const storyFields = "slug title excerpt publishedAt coverImage { url alt }";

function storyCard(a) {
  return el("li", { class: "story" },
    a.coverImage ? el("img", { src: a.coverImage.url, alt: a.coverImage.alt || "", loading: "lazy" }) : null,
    el("h3", {}, el("a", { href: `#/a/${a.slug}` }, a.title)),
    el("time", { datetime: a.publishedAt }, date(a.publishedAt)),
    el("p", {}, cut(a.excerpt, 160)));
}

function cut(text, n) {
  if (!text || text.length <= n) return text || "";
  return text.slice(0, text.lastIndexOf(" ", n)) + "…";
}

async function home() {
  const data = await gql(`query Home { categories { slug name articles(first: 4) { nodes { ${storyFields} } } } }`);
  main.replaceChildren(...data.categories
    .filter((c) => c.articles.nodes.length > 0)
    .map((c) => el("section", { class: "section" },
      el("h2", {}, el("a", { href: `#/c/${c.slug}` }, c.name)),
      el("ul", { class: "stories" }, c.articles.nodes.map(storyCard)))));
  document.title = "Cổng tin tức";
}

async function article(slug) {
  const data = await gql(`query Article($slug: String) { article(slug: $slug) {
    slug title excerpt bodyHtml publishedAt coverImage { url caption alt }
    authors { name } category { name slug } tags { name slug }
    related(first: 6) { slug title excerpt publishedAt } } }`, { slug });
  const a = data.article;
  if (!a) {
    main.replaceChildren(el("p", {}, "Không tìm thấy bài viết."));
    return;
  }
  // The body carries its own captioned photos; the cover is shown only
  // when the body does not repeat it.
  const cover = a.coverImage && !a.bodyHtml.includes(a.coverImage.url)
    ? el("figure", {}, el("img", { src: a.coverImage.url, alt: a.coverImage.alt || "" }), el("figcaption", {}, a.coverImage.caption))
    : null;
  main.replaceChildren(el("article", { class: "full" },
    el("p", { class: "meta" }, el("a", { href: `#/c/${a.category.slug}` }, a.category.name)),
    el("h1", { class: "title" }, a.title),
    el("p", { class: "meta" }, a.authors.map((x) => x.name).join(", "), " · ", el("time", { datetime: a.publishedAt }, date(a.publishedAt))),
    el("p", { class: "lead" }, a.excerpt),
    cover,
    el("div", { class: "body", html: a.bodyHtml }),
    el("p", { class: "tags" }, a.tags.map((t) => el("a", { href: `#/s/${encodeURIComponent(t.name)}` }, t.name))),
    el("section", { class: "related" },
      el("h2", {}, "Tin khác"),
      el("ul", {}, a.related.map((r) => el("li", {},
        el("h3", {}, el("a", { href: `#/a/${r.slug}` }, r.title)),
        el("p", {}, cut(r.excerpt, 90)),
        el("time", { datetime: r.publishedAt }, date(r.publishedAt))))))));
  document.title = a.title;
}

async function category(slug) {
  const query = `query Category($slug: String!, $after: String) { category(slug: $slug) { name
    articles(first: 6, after: $after) { pageInfo { hasNextPage endCursor } nodes { ${storyFields} } } } }`;
  const data = await gql(query, { slug });
  if (!data.category) {
    main.replaceChildren(el("p", {}, "Không có chuyên mục này."));
    return;
  }
  const list = el("ul", { class: "stories", id: "list" });
  const more = el("button", { id: "more", type: "button" }, "Xem thêm");
  let page = data.category.articles;
  const show = () => {
    list.append(...page.nodes.map(storyCard));
    more.hidden = !page.pageInfo.hasNextPage;
  };
  more.addEventListener("click", async () => {
    more.disabled = true;
    try {
      page = (await gql(query, { slug, after: page.pageInfo.endCursor })).category.articles;
      show();
    } catch (e) {
      fail(e);
    } finally {
      more.disabled = false;
    }
  });
  show();
  main.replaceChildren(el("section", { class: "section" }, el("h2", {}, data.category.name), list, more));
  document.title = data.category.name;
}

async function search(q) {
  document.getElementById("q").value = q;
  const data = await gql(`query Search($q: String!) { search(query: $q, first: 10) { totalCount
    edges { node { slug publishedAt } highlight { title snippet } } } }`, { q });
  const s = data.search;
  main.replaceChildren(el("section", { class: "section" },
    el("h2", {}, `Kết quả cho “${q}” (${s.totalCount})`),
    el("ul", { class: "results" }, s.edges.map((e) => el("li", { class: "result" },
      el("h3", {}, el("a", { href: `#/a/${e.node.slug}`, html: e.highlight.title })),
      el("p", { html: e.highlight.snippet }),
      el("time", { datetime: e.node.publishedAt }, date(e.node.publishedAt)))))));
  document.title = `Tìm: ${q}`;
}

function fail(e) {
  errorBox.textContent = e.message;
  errorBox.hidden = false;
  main.replaceChildren();
}

async function route() {
  errorBox.hidden = true;
  const [, kind, arg] = decodeURIComponent(location.hash).match(/^#\/(a|c|s)\/(.+)$/) || [];
  try {
    if (kind === "a") await article(arg);
    else if (kind === "c") await category(arg);
    else if (kind === "s") await search(arg);
    else await home();
    document.body.dataset.ready = location.hash || "#/";
  } catch (e) {
    fail(e);
    document.body.dataset.ready = "error";
  }
}

async function menu() {
  try {
    const data = await gql(`query Menu { categories { slug name } }`);
    document.getElementById("menu").replaceChildren(...data.categories.map((c) => el("a", { href: `#/c/${c.slug}` }, c.name)));
  } catch {
    // route() shows the error.
  }
}

document.getElementById("search").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const q = document.getElementById("q").value.trim();
  if (q) location.hash = `#/s/${encodeURIComponent(q)}`;
});
window.addEventListener("hashchange", route);
menu();
route();
