/** The runnable node: command line, configuration and wiring of the chosen implementations. */
package dev.partyline.app;
