// Job search: the page works as a plain GET form; this makes its filters apply at once.
//
// Changing a filter (or the maximum hours, once you leave the box), the sort order or
// the page of results fetches the new search with `HX-Request: true`, so the server
// sends only the parts that change. The script swaps the results and the job alert form,
// updates every filter's count, puts the search in the address bar (history.pushState:
// every search stays a bookmarkable URL, and Back works) and announces how many jobs
// were found, leaving focus where it was. The Search button loads a new page for the new
// keywords or postcode, at a tidy URL without the empty fields. Anything unexpected, or
// a search with an error in it, falls back to loading the page normally.
// Loaded as a module from search.html: no inline script.

const form = document.getElementById("job-search");
const WIDE = window.matchMedia("(min-width: 48.0625em)");

if (form && window.fetch && window.history && window.history.pushState) {
  enhance(form);
}

function enhance(form) {
  const status = document.getElementById("job-search-status");
  const filters = document.getElementById("job-search-filters");
  let controller = null;

  // On a wide screen the filters sit beside the results: show them open.
  if (filters && WIDE.matches) {
    filters.open = true;
  }

  window.history.replaceState({ jobSearch: true }, "", window.location.href);
  // Hides the Apply filters and Sort buttons: changes apply by themselves now.
  form.classList.add("job-search--enhanced");

  function searchUrl() {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      if (typeof value === "string" && value.trim() !== "") {
        params.append(name, value.trim());
      }
    }
    const base = form.action.split("?")[0];
    const query = params.toString();
    return query ? `${base}?${query}` : base;
  }

  function replaceById(doc, id) {
    const fresh = doc.getElementById(id);
    const current = document.getElementById(id);
    if (fresh && current) {
      current.replaceWith(document.importNode(fresh, true));
    }
  }

  function announce(text) {
    if (!status) return;
    // Emptied first, so that the same words are announced again.
    status.textContent = "";
    window.setTimeout(() => {
      status.textContent = text;
    }, 100);
  }

  async function load(url, { push = true, focusResults = false } = {}) {
    if (controller) controller.abort();
    controller = new AbortController();
    const results = document.getElementById("job-results");
    if (results) results.setAttribute("aria-busy", "true");

    let html;
    try {
      const response = await fetch(url, {
        headers: { "HX-Request": "true", "HX-Current-URL": window.location.href },
        credentials: "same-origin",
        signal: controller.signal,
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      html = await response.text();
    } catch (error) {
      if (error.name === "AbortError") return;
      window.location.assign(url);
      return;
    }

    const doc = new DOMParser().parseFromString(html, "text/html");
    const fresh = doc.getElementById("job-results");
    if (!fresh || fresh.dataset.hasErrors === "true") {
      // Errors are shown by the full page: error summary, messages by each field.
      window.location.assign(url);
      return;
    }

    replaceById(doc, "job-results");
    replaceById(doc, "job-search-alert");
    for (const count of doc.querySelectorAll("#job-search-counts [id]")) {
      const current = document.getElementById(count.id);
      if (current) current.textContent = count.textContent;
    }
    const sort = form.elements.namedItem("sort");
    const sortOptions = doc.getElementById("job-search-sort-options");
    if (sort && sortOptions && sort.innerHTML.trim() !== sortOptions.innerHTML.trim()) {
      // Keywords bring "Most relevant" (the default order with them) and take it away.
      sort.innerHTML = sortOptions.innerHTML;
    }
    if (sort && "sort" in fresh.dataset) sort.value = fresh.dataset.sort;
    const feed = document.querySelector('link[rel="alternate"][type="application/atom+xml"]');
    if (feed && fresh.dataset.feedUrl) feed.href = fresh.dataset.feedUrl;
    if (fresh.dataset.title) document.title = fresh.dataset.title;

    if (push && url !== window.location.href) {
      window.history.pushState({ jobSearch: true }, "", url);
    }
    if (focusResults) {
      const heading = document.getElementById("job-results-heading");
      if (heading) {
        heading.focus();
        heading.scrollIntoView({ block: "start" });
      }
    } else {
      // Focus stays on the filter just changed; the live region says what it found.
      announce(fresh.dataset.summary || "");
    }
  }

  // The form's controls as the URL says (after Back or Forward).
  function syncForm(url) {
    const params = new URL(url).searchParams;
    for (const element of form.elements) {
      if (!element.name) continue;
      const values = params.getAll(element.name);
      if (element.type === "checkbox") {
        element.checked = values.includes(element.value);
      } else if (element.type === "radio") {
        element.checked =
          values.includes(element.value) || (element.value === "" && values.length === 0);
      } else if (element.tagName === "INPUT" || element.tagName === "SELECT") {
        element.value = values[0] || "";
      }
    }
  }

  form.addEventListener("change", (event) => {
    const target = event.target;
    if ((filters && filters.contains(target)) || target.tagName === "SELECT") {
      load(searchUrl());
    }
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (controller) controller.abort();
    window.location.assign(searchUrl());
  });

  // Pages of results, without reloading the filters.
  form.addEventListener("click", (event) => {
    const link = event.target.closest(".nhsuk-pagination a[href]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) {
      return;
    }
    event.preventDefault();
    load(link.href, { focusResults: true });
  });

  window.addEventListener("popstate", (event) => {
    if (!event.state || !event.state.jobSearch) return;
    syncForm(window.location.href);
    load(window.location.href, { push: false });
  });
}
