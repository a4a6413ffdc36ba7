#pragma once
// Umbrella header of libngxconf.
#include "ngxconf/builder.hpp"
#include "ngxconf/check.hpp"
#include "ngxconf/document.hpp"
#include "ngxconf/edit.hpp"
#include "ngxconf/query.hpp"
#include "ngxconf/dump.hpp"
#include "ngxconf/error.hpp"
#include "ngxconf/json.hpp"
#include "ngxconf/node.hpp"
#include "ngxconf/source.hpp"
#include "ngxconf/validate.hpp"
#include "ngxconf/walk.hpp"
