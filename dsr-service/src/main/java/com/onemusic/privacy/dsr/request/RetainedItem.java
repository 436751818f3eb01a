package com.onemusic.privacy.dsr.request;

/**
 * Data a participant keeps, isolated, instead of erasing it (policy 8.1.3, last
 * paragraph).
 *
 * @param participant who keeps it
 * @param category what is kept
 * @param reason why it must be kept
 * @param retainUntil until when (ISO date), or null when not known
 */
public record RetainedItem(String participant, String category, String reason, String retainUntil) {

}
