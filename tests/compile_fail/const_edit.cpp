// Compile-fail test: editing through a `const document&` must not compile.
// Built once per CASE with DOC_CONST=const (must fail) and once with DOC_CONST empty (must
// compile: the control proves that constness alone makes the difference).
#include <ngxconf/edit.hpp>
#include <ngxconf/ngxconf.hpp>
#include <ngxconf/query.hpp>

#ifndef CASE
#error "define CASE"
#endif

void edit_through(DOC_CONST ngxconf::document& doc) {
#if CASE == 1  // toggle a directive found from a const document
    ngxconf::enable(ngxconf::find_first(doc.root(), "include", {.include_disabled = true}));
#elif CASE == 2  // set an argument of a selected directive
    ngxconf::set_arg(ngxconf::select(doc.root(), "server > listen").at(0), 0, "80");
#elif CASE == 3  // remove a node reached by navigation
    ngxconf::remove(doc.root().first_child());
#elif CASE == 4  // insert into a block reached through a directive's body
    (void)ngxconf::insert_directive(ngxconf::find_first(doc.root(), "server").body(),
                                    ngxconf::insert_at::last_child, "listen", {"80"});
#elif CASE == 5  // a read-only handle does not convert to a mutable one
    ngxconf::node n = doc.root().first_child();
    (void)n;
#elif CASE == 6  // a mutable handle out of a for_each over a const document
    ngxconf::for_each_directive(doc.root(), [](const ngxconf::directive& d) { ngxconf::rename(d, "x"); });
#else
#error "unknown CASE"
#endif
}
