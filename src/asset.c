/* asset.c - finds a built-in file by name; see asset.h. */
#include "asset.h"

#include <string.h>

const struct asset *asset_get(const char *name)
{
    for (size_t i = 0; i < asset_count; i++)
        if (strcmp(asset_table[i].name, name) == 0)
            return &asset_table[i];
    return NULL;
}

const char *asset_text(const char *name)
{
    const struct asset *a = asset_get(name);
    return a != NULL ? (const char *)a->data : NULL;
}
