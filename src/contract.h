/* contract.h - the limits of the API, each defined here once (contract.md,
 * family spec).  Every check and every message that names a limit uses
 * these; no other file writes the number. */
#ifndef CAMPAIGND_CONTRACT_H
#define CAMPAIGND_CONTRACT_H

/* Names (family spec §1.2, §3.1, §9.1): code points. */
#define CONTRACT_NAME_MAX 48          /* campaign and contact list names */
#define CONTRACT_DESCRIPTION_MAX 256  /* campaign and contact list descriptions */
#define CONTRACT_REF_NAME_MAX 128     /* template_name and other referenced names */
#define CONTRACT_MESSAGE_MAX 4096     /* an SMS message's text */
#define CONTRACT_CONTACT_FIELD_MAX 128 /* a contact's optional string fields (§9.8) */
#define CONTRACT_ACCOUNT_MAX 64       /* an account id: A-Z a-z 0-9 - _ */
#define CONTRACT_TZ_MAX 64            /* bytes of an IANA zone name */
#define CONTRACT_PHONE_MAX 32         /* bytes of a stored phone number (E.164 with "+" is 16) */

/* A campaign's references and calling hours (family spec §3). */
#define CONTRACT_CAMPAIGN_LISTS_MAX 64 /* contactLists of one campaign */
#define CONTRACT_CALLING_DAYS_MAX 28   /* callingHours.days windows */
#define CONTRACT_ATTEMPTS_MAX 100       /* dialingStrategy.maxAttemptsPerRecord */
#define CONTRACT_RETRY_MINUTES_MAX 1440 /* dialingStrategy.defaultRetryPeriod */
#define CONTRACT_RING_SECONDS_MIN 5     /* dialingStrategy.maxRingTime */
#define CONTRACT_RING_SECONDS_MAX 120
#define CONTRACT_SKIPS_MAX 100         /* maxSkips of a Preview campaign */
#define CONTRACT_EVERY_DAYS_MAX 365     /* a schedule's onceEveryNdays */
#define CONTRACT_EVERY_WEEKS_MAX 52     /* a schedule's onceEveryNweeks */
#define CONTRACT_PRIORITY_MIN 1
#define CONTRACT_PRIORITY_MAX 5

/* Paging (contract §3): skip, page and the listing's limit. */
#define CONTRACT_COUNT_MAX 1000000000LL /* skip, page, and any count the CLI takes */
#define CONTRACT_COUNT_DIGITS_MAX 12    /* a count given as a string of digits */
#define CONTRACT_LIMIT_MAX 100
#define CONTRACT_LIMIT_DEFAULT 10       /* Get All Campaigns, the contacts view */
#define CONTRACT_CONTACTS_LIMIT_DEFAULT 50 /* Get Contacts of a list */

/* Get All Campaigns filters and sort keys (contract §3). */
#define CONTRACT_FILTER_VALUES_MAX 64
#define CONTRACT_SORT_KEYS_MAX 3

/* An outcome report (execution spec §6). */
#define CONTRACT_DISPOSITIONS_MAX 32   /* agentDispositionCodes of one report */

#endif
