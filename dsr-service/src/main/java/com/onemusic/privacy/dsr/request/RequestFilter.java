package com.onemusic.privacy.dsr.request;

/**
 * Which requests to list; null fields do not filter.
 *
 * @param status the status
 * @param type the type
 * @param userId the user
 * @param sla open requests due soon or overdue
 * @param after the cursor: the last id of the previous page
 * @param limit the page size
 */
public record RequestFilter(DsrStatus status, DsrType type, String userId, SlaState sla, String after, int limit) {

}
