package org.varflow.api.plugin;

/**
 * Where a plugin came from, as listed by {@code varflow plugins}.
 *
 * @param kind {@code backend}, {@code discretization} or {@code solver}
 * @param id the plugin id
 * @param version the providing module's version
 * @param module the providing module's name, or {@code (class path)}
 * @param location the jar or directory it was loaded from
 * @param description what it computes
 * @param status {@code available} or why it cannot run here
 */
public record PluginInfo(
    String kind, String id, String version, String module, String location, String description, String status) {}
