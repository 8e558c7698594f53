// The names of what an informer makes of an event, for logs and metric labels.
#include "landlord/operator/cache/informer.h"

namespace landlord::kube {

std::string_view toString(InformerEvent event) {
  switch (event) {
    case InformerEvent::Added:
      return "add";
    case InformerEvent::Updated:
      return "update";
    case InformerEvent::Deleted:
      return "delete";
    case InformerEvent::Unchanged:
      break;
  }
  return "unchanged";
}

}  // namespace landlord::kube
