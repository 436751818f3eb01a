/**
 * Spring Boot plumbing shared by the four services.
 */
package com.onemusic.privacy.platform;
