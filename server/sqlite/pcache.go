package sqlite

/*
#include <stdlib.h>

// The page-cache interface of sqlite3.h (SQLITE_CONFIG_PCACHE2), declared here because
// mattn/go-sqlite3 does not export its header: it is SQLite's public, stable ABI.
typedef struct sqlite3_pcache sqlite3_pcache;
typedef struct sqlite3_pcache_page { void *pBuf; void *pExtra; } sqlite3_pcache_page;
typedef struct sqlite3_pcache_methods2 {
	int iVersion;
	void *pArg;
	int (*xInit)(void*);
	void (*xShutdown)(void*);
	sqlite3_pcache *(*xCreate)(int szPage, int szExtra, int bPurgeable);
	void (*xCachesize)(sqlite3_pcache*, int nCachesize);
	int (*xPagecount)(sqlite3_pcache*);
	sqlite3_pcache_page *(*xFetch)(sqlite3_pcache*, unsigned key, int createFlag);
	void (*xUnpin)(sqlite3_pcache*, sqlite3_pcache_page*, int discard);
	void (*xRekey)(sqlite3_pcache*, sqlite3_pcache_page*, unsigned oldKey, unsigned newKey);
	void (*xTruncate)(sqlite3_pcache*, unsigned iLimit);
	void (*xDestroy)(sqlite3_pcache*);
	void (*xShrink)(sqlite3_pcache*);
} sqlite3_pcache_methods2;
int sqlite3_config(int, ...);
#define NULLAOSTA_CONFIG_PCACHE2    18
#define NULLAOSTA_CONFIG_GETPCACHE2 19
// SQLite's default PENDING_BYTE (sqlite3PendingByte): the page that holds it is never used.
#define NULLAOSTA_PENDING_BYTE 0x40000000u

static sqlite3_pcache_methods2 nullaosta_base;

// How many truncations the wrapper passed on to pcache1 (see pcacheTruncations).
static unsigned long nullaosta_truncations;
static unsigned long nullaosta_truncations_get(void) { return __atomic_load_n(&nullaosta_truncations, __ATOMIC_RELAXED); }

// A cache of the default implementation, and the largest page number it may hold.
typedef struct {
	sqlite3_pcache *inner;
	unsigned maxKey;  // every page in inner has a number <= maxKey, but for lockPage
	unsigned lockPage;
} nullaosta_pcache;

static int nullaosta_init(void *arg) { return nullaosta_base.xInit(nullaosta_base.pArg); }
static void nullaosta_shutdown(void *arg) { if (nullaosta_base.xShutdown) nullaosta_base.xShutdown(nullaosta_base.pArg); }

static sqlite3_pcache *nullaosta_create(int szPage, int szExtra, int bPurgeable) {
	nullaosta_pcache *c = malloc(sizeof *c);
	if (!c) return 0;
	c->inner = nullaosta_base.xCreate(szPage, szExtra, bPurgeable);
	if (!c->inner) { free(c); return 0; }
	c->maxKey = 0;
	c->lockPage = NULLAOSTA_PENDING_BYTE / (unsigned)szPage + 1;
	return (sqlite3_pcache *)c;
}
static void nullaosta_cachesize(sqlite3_pcache *p, int n) { nullaosta_base.xCachesize(((nullaosta_pcache *)p)->inner, n); }
static int nullaosta_pagecount(sqlite3_pcache *p) { return nullaosta_base.xPagecount(((nullaosta_pcache *)p)->inner); }
static sqlite3_pcache_page *nullaosta_fetch(sqlite3_pcache *p, unsigned key, int create) {
	nullaosta_pcache *c = (nullaosta_pcache *)p;
	sqlite3_pcache_page *pg = nullaosta_base.xFetch(c->inner, key, create);
	if (pg && key > c->maxKey) c->maxKey = key;
	return pg;
}
static void nullaosta_unpin(sqlite3_pcache *p, sqlite3_pcache_page *pg, int discard) { nullaosta_base.xUnpin(((nullaosta_pcache *)p)->inner, pg, discard); }
static void nullaosta_rekey(sqlite3_pcache *p, sqlite3_pcache_page *pg, unsigned oldKey, unsigned newKey) {
	nullaosta_pcache *c = (nullaosta_pcache *)p;
	nullaosta_base.xRekey(c->inner, pg, oldKey, newKey);
	// balance_nonroot parks a page on the lock page's number for the length of a swap, and
	// moves it away before it returns: not a page the cache keeps.
	if (newKey > c->maxKey && newKey != c->lockPage) c->maxKey = newKey;
}
static void nullaosta_truncate(sqlite3_pcache *p, unsigned limit) {
	nullaosta_pcache *c = (nullaosta_pcache *)p;
	if (limit > c->maxKey) return;  // no page numbered limit or more
	__atomic_fetch_add(&nullaosta_truncations, 1, __ATOMIC_RELAXED);
	nullaosta_base.xTruncate(c->inner, limit);
	c->maxKey = limit ? limit - 1 : 0;
}
static void nullaosta_destroy(sqlite3_pcache *p) {
	nullaosta_pcache *c = (nullaosta_pcache *)p;
	nullaosta_base.xDestroy(c->inner);
	free(c);
}
static void nullaosta_shrink(sqlite3_pcache *p) { nullaosta_base.xShrink(((nullaosta_pcache *)p)->inner); }

static sqlite3_pcache_methods2 nullaosta_methods = {
	1, 0, nullaosta_init, nullaosta_shutdown, nullaosta_create, nullaosta_cachesize,
	nullaosta_pagecount, nullaosta_fetch, nullaosta_unpin, nullaosta_rekey, nullaosta_truncate,
	nullaosta_destroy, nullaosta_shrink,
};

// nullaosta_install wraps SQLite's default page cache; it must run before SQLite initialises.
static int nullaosta_install(void) {
	int rc = sqlite3_config(NULLAOSTA_CONFIG_GETPCACHE2, &nullaosta_base);
	if (rc) return rc;
	return sqlite3_config(NULLAOSTA_CONFIG_PCACHE2, &nullaosta_methods);
}
*/
import "C"

import "fmt"

// pcacheErr is why the page cache could not be wrapped (nil: it is).
//
// Why a wrapper: at every commit SQLite drops from the connection's page cache the pages past
// the end of the database (pager_end_transaction: sqlite3PcacheTruncate), and the default
// cache (pcache1) decides whether there are any by the largest page number it ever held,
// iMaxKey. When an insert splits a b-tree page, balance_nonroot swaps page numbers through a
// temporary one, the page of PENDING_BYTE (page 262,145 with 4 KiB pages), and that raises
// iMaxKey past the end of any database under 1 GiB. So nearly every click-day commit (683 of
// 770 batches in BenchmarkWriterSubmit, seen with a uprobe on pcache1Truncate) scanned the
// writer's whole cache, every hash bucket and every page of it, to remove nothing: with the
// writer's 16 MiB cache, a tenth of the writer's CPU. The wrapper keeps its own largest page
// number, which ignores that temporary parking, and asks pcache1 to truncate only when a page
// past the limit may really be there (after a rollback that shrank the database, say).
var pcacheErr = func() error {
	if rc := C.nullaosta_install(); rc != 0 {
		return fmt.Errorf("sqlite: page cache not wrapped (sqlite3_config: %d)", int(rc))
	}
	return nil
}()

// pcacheTruncations is how many truncations of a page cache, by every connection of the
// process, the wrapper passed on to SQLite's cache because pages past the limit may be there.
func pcacheTruncations() uint64 { return uint64(C.nullaosta_truncations_get()) }
