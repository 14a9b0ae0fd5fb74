"""Sequential schemes (docs/guide/schemes.md): GC, SR-SGC, M-SGC, BR-SGC, WC-SGC, PR-SGC and RWC-SGC as exact
state machines."""

from .base import Run, Scheme, Task, Work
from .br_sgc import BRSGC
from .gc import GC
from .m_sgc import MSGC
from .pr_sgc import PRSGC
from .registry import SCHEMES, make_scheme
from .rwc_sgc import RWCSGC, replication_layout
from .sr_sgc import SRSGC
from .tabular import TabularScheme
from .wc_sgc import WCSGC, backlog_bound, worker_order

__all__ = [
    "Scheme",
    "Task",
    "Work",
    "Run",
    "GC",
    "SRSGC",
    "MSGC",
    "BRSGC",
    "WCSGC",
    "RWCSGC",
    "replication_layout",
    "backlog_bound",
    "worker_order",
    "PRSGC",
    "TabularScheme",
    "make_scheme",
    "SCHEMES",
]
