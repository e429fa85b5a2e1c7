/* clist.c - see clist.h. */
#include "clist.h"

#include <stdlib.h>
#include <string.h>

#include "jsonio.h"

const char *const clist_contact_fields[] = {"firstName", "lastName", "timeZone", "uniqueId",
                                            "contactPriority", NULL};

static json_t *mapping(void)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "firstName", "firstName", "lastName",
                     "lastName", "phoneNumber", "phoneNumber", "timeZone", "timeZone", "uniqueId",
                     "uniqueId", "contactPriority", "contactPriority");
}

static void put_doc(json_t *o, const struct clist *l, const char *key)
{
    json_t *v = json_object_get(l->doc, key);
    if (v != NULL)
        json_object_set(o, key, v);
}

json_t *clist_render(const struct clist *l, enum clist_form form)
{
    json_t *o = json_object();
    int in_use = json_array_size(l->in_use) > 0;
    int dups = json_is_true(json_object_get(l->doc, "allowDuplicates"));
    json_t *sync = json_pack("{s:s}", "dataSyncMode", dups ? "allowDuplicates" : "skipDuplicates");
    if (form == CLIST_FULL || form == CLIST_SUMMARY)
        json_object_set_new(o, "_id", json_string(l->id));
    if (form != CLIST_SUMMARY)
        json_object_set_new(o, "isActive", json_true());
    json_object_set_new(o, "name", json_string(l->name));
    put_doc(o, l, "description");
    json_object_set_new(o, "totalRecordCount", json_integer(l->total));
    json_object_set_new(o, "status", json_string("Ready"));
    if (form != CLIST_SUMMARY) {
        put_doc(o, l, "createdBy");
        put_doc(o, l, "updatedBy");
    }
    json_object_set_new(o, "mapping", mapping());
    json_object_set_new(o, "isListInUse", json_boolean(in_use));
    json_object_set_new(o, "listType", json_string("call"));
    if (form != CLIST_SUMMARY) {
        json_object_set_new(o, "isGlobalDNC", json_false());
        json_object_set_new(o, "isDefault", json_false());
    }
    json_object_set_new(o, "campaignInUse", l->in_use ? json_incref(l->in_use) : json_array());
    put_doc(o, l, "source");
    json_object_set_new(o, "apiConfigurations", sync);
    json_object_set_new(o, "columns", json_array());
    json_object_set_new(o, "files", json_array());
    if (form != CLIST_SUMMARY)
        json_object_set_new(o, "createdAt", jsonio_time(l->created_at));
    json_object_set_new(o, "updatedAt", jsonio_time(l->updated_at));
    if (form == CLIST_CREATED)
        json_object_set_new(o, "_id", json_string(l->id));
    if (form != CLIST_SUMMARY)
        json_object_set_new(o, "allowDuplicates", json_boolean(dups));
    return o;
}

void clist_clear(struct clist *l)
{
    free(l->name);
    json_decref(l->doc);
    json_decref(l->in_use);
    memset(l, 0, sizeof *l);
}
