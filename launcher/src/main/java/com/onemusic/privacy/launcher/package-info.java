/**
 * The local system: everything in one JVM, for a laptop or a demo.
 */
package com.onemusic.privacy.launcher;
