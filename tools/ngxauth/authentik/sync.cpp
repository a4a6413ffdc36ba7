// Plans and writes of the Authentik half of protect / unprotect.
#include "sync.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "api_error.hpp"

namespace ngxauth::authentik {
namespace {

using ngxconf::diag_code;
constexpr const char* providers_path = "/api/v3/providers/proxy/";
constexpr const char* applications_path = "/api/v3/core/applications/";
constexpr const char* new_provider = "(new provider)";

std::string mode_of(const app_target& t) { return t.domain_level ? "forward_domain" : "forward_single"; }

std::string flow_or_throw(client& c, const std::string& slug, const char* option) {
    if (auto pk = flow_pk(c, slug)) return *pk;
    throw api_error(diag_code::authentik_flow_missing,
                    fmt::format("Authentik has no flow with the slug {}", slug),
                    {fmt::format("name an existing flow with {} SLUG", option)}, 3);
}

json provider_body(client& c, const app_target& t) {
    json body{{"name", provider_name_for(t.slug)},
              {"authorization_flow", flow_or_throw(c, t.authorization_flow, "--authorization-flow")},
              {"external_host", t.external_host},
              {"mode", mode_of(t)}};
    // Required from 2024.10 on; older servers have no invalidation flow at all.
    if (version_at_least(c.version(), 2024, 10)) {
        body["invalidation_flow"] = flow_or_throw(c, t.invalidation_flow, "--invalidation-flow");
    }
    if (t.domain_level) body["cookie_domain"] = t.cookie_domain;
    return body;
}

bool provider_matches(const proxy_provider& p, const app_target& t) {
    return p.mode == mode_of(t) && same_url(p.external_host, t.external_host) &&
           (!t.domain_level || p.cookie_domain == t.cookie_domain);
}

// The provider the app has, or one ngxauth made earlier under its name (a run that stopped
// between the provider and the application).
void find_existing(client& c, const app_target& t, protect_plan& plan) {
    plan.app = find_application(c, t.slug);
    if (plan.app && plan.app->provider) {
        plan.provider = get_provider(c, *plan.app->provider);
        if (!plan.provider) {
            throw api_error(diag_code::authentik_provider_differs,
                            fmt::format("the application {} has a provider that is not a proxy "
                                        "provider; forward auth needs one",
                                        t.slug),
                            {"bind a proxy provider to it in Authentik, or remove its provider"}, 3);
        }
    } else {
        plan.provider = find_provider_named(c, provider_name_for(t.slug));
    }
}

void plan_provider(client& c, const app_target& t, protect_plan& plan) {
    if (!plan.provider) {
        plan.create_provider = true;
        plan.provider_body = provider_body(c, t);
        plan.steps.push_back({"POST", providers_path, plan.provider_body});
        return;
    }
    if (provider_matches(*plan.provider, t)) return;
    if (!t.replace) {
        throw api_error(
            diag_code::authentik_provider_differs,
            fmt::format("the provider {} of {} has mode {} and external host {}; ngxauth would "
                        "set {} and {}",
                        plan.provider->name, t.slug, plan.provider->mode,
                        plan.provider->external_host, mode_of(t), t.external_host),
            {"run with --replace to change it"}, 3);
    }
    plan.update_provider = true;
    plan.provider_body = json{{"mode", mode_of(t)}, {"external_host", t.external_host}};
    if (t.domain_level) plan.provider_body["cookie_domain"] = t.cookie_domain;
    plan.steps.push_back({"PATCH", fmt::format("{}{}/", providers_path, plan.provider->pk),
                          plan.provider_body});
}

json provider_ref(const protect_plan& plan) {
    return plan.provider ? json(plan.provider->pk) : json(new_provider);
}

void plan_application(const app_target& t, protect_plan& plan) {
    if (!plan.app) {
        plan.create_app = true;
        plan.app_body = json{{"name", t.slug},
                             {"slug", t.slug},
                             {"provider", provider_ref(plan)},
                             {"meta_launch_url", t.external_host},
                             {"meta_publisher", publisher_mark}};
        plan.steps.push_back({"POST", applications_path, plan.app_body});
    } else if (!plan.app->provider) {
        plan.link_app = true;
        plan.steps.push_back({"PATCH", fmt::format("{}{}/", applications_path, t.slug),
                              json{{"provider", provider_ref(plan)}}});
    }
}

outpost outpost_or_throw(client& c, const outpost_ref& where) {
    auto target = find_outpost(c, where);
    if (!target) {
        throw api_error(diag_code::authentik_outpost_missing,
                        where.embedded() ? std::string("Authentik has no embedded outpost")
                                         : fmt::format("Authentik has no outpost named {}, which "
                                                       "$upstream_authentik points to",
                                                       where.upstream),
                        {fmt::format("create it with `ngxauth outpost create {} --apps APP`",
                                     where.upstream)},
                        3);
    }
    return *target;
}

}  // namespace

protect_plan plan_protect(client& c, const app_target& t, const outpost_ref* where) {
    protect_plan plan;
    plan.version = c.version();
    if (where != nullptr) plan.target = outpost_or_throw(c, *where);
    find_existing(c, t, plan);
    plan_provider(c, t, plan);
    plan_application(t, plan);
    if (where == nullptr) return plan;
    const bool on = plan.provider && std::find(plan.target.providers.begin(),
                                               plan.target.providers.end(),
                                               plan.provider->pk) != plan.target.providers.end();
    if (!on) {
        auto after = json::array();
        for (int p : plan.target.providers) after.push_back(p);
        after.push_back(provider_ref(plan));
        plan.steps.push_back({"PATCH", "/api/v3/outposts/instances/" + plan.target.pk + "/",
                              json{{"providers", after}}});
    }
    return plan;
}

void apply(client& c, protect_plan& plan, undo_log& undo) {
    if (plan.create_provider) {
        const auto made = c.send("POST", providers_path, plan.provider_body);
        proxy_provider p;
        p.pk = made.value("pk", 0);
        p.name = plan.provider_body.value("name", "");
        plan.provider = p;
        undo.steps.emplace_back(fmt::format("delete provider {}", p.pk), [pk = p.pk](client& cl) {
            cl.remove(fmt::format("{}{}/", providers_path, pk));
        });
    } else if (plan.update_provider) {
        (void)c.send("PATCH", fmt::format("{}{}/", providers_path, plan.provider->pk), plan.provider_body);
    }
    const int pk = plan.provider->pk;
    if (plan.create_app) {
        plan.app_body["provider"] = pk;
        (void)c.send("POST", applications_path, plan.app_body);
        const auto slug = plan.app_body.value("slug", "");
        undo.steps.emplace_back("delete application " + slug, [slug](client& cl) {
            cl.remove(fmt::format("{}{}/", applications_path, slug));
        });
    } else if (plan.link_app) {
        const auto slug = plan.app->slug;
        (void)c.send("PATCH", fmt::format("{}{}/", applications_path, slug), json{{"provider", pk}});
        undo.steps.emplace_back("unlink application " + slug, [slug](client& cl) {
            (void)cl.send("PATCH", fmt::format("{}{}/", applications_path, slug),
                          json{{"provider", nullptr}});
        });
    }
    if (!plan.target.pk.empty() && attach(c, plan.target.pk, pk)) {
        undo.steps.emplace_back("detach provider from " + plan.target.name,
                                [opk = plan.target.pk, pk](client& cl) { (void)detach(cl, opk, pk); });
    }
}

std::vector<std::string> rollback(client& c, undo_log& undo) {
    std::vector<std::string> failed;
    // Newest first: the outpost lets go of the provider before the provider goes.
    for (auto it = undo.steps.rbegin(); it != undo.steps.rend(); ++it) {
        try {
            it->second(c);
        } catch (const std::exception& e) {
            failed.push_back(it->first + ": " + e.what());
        }
    }
    undo.steps.clear();
    return failed;
}

unprotect_plan plan_unprotect(client& c, const std::string& slug, const outpost_ref& where,
                              bool purge) {
    unprotect_plan plan;
    (void)c.version();
    plan.app = find_application(c, slug);
    if (plan.app && plan.app->provider) plan.provider = get_provider(c, *plan.app->provider);
    if (!plan.provider) plan.provider = find_provider_named(c, provider_name_for(slug));
    plan.target = find_outpost(c, where);
    if (plan.provider && plan.target) {
        const auto& v = plan.target->providers;
        plan.detach = std::find(v.begin(), v.end(), plan.provider->pk) != v.end();
        if (plan.detach) {
            auto after = json::array();
            for (int p : v) {
                if (p != plan.provider->pk) after.push_back(p);
            }
            plan.steps.push_back({"PATCH", "/api/v3/outposts/instances/" + plan.target->pk + "/",
                                  json{{"providers", after}}});
        }
    }
    if (!purge) return plan;
    if (plan.app) {
        plan.delete_app = plan.app->publisher == publisher_mark;
        if (plan.delete_app) {
            plan.steps.push_back({"DELETE", fmt::format("{}{}/", applications_path, slug), nullptr});
        } else {
            plan.kept.push_back("application " + slug);
        }
    }
    if (plan.provider) {
        plan.delete_provider = plan.provider->name == provider_name_for(slug) &&
                               (!plan.app || plan.delete_app);
        if (plan.delete_provider) {
            plan.steps.push_back({"DELETE", fmt::format("{}{}/", providers_path, plan.provider->pk), nullptr});
        } else {
            plan.kept.push_back("provider " + plan.provider->name);
        }
    }
    return plan;
}

void apply(client& c, const unprotect_plan& plan) {
    if (plan.detach) (void)detach(c, plan.target->pk, plan.provider->pk);
    if (plan.delete_app) c.remove(fmt::format("{}{}/", applications_path, plan.app->slug));
    if (plan.delete_provider) c.remove(fmt::format("{}{}/", providers_path, plan.provider->pk));
}

}  // namespace ngxauth::authentik
