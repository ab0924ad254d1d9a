using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AsyncGuard;

/// <summary>
/// The <c>.editorconfig</c> keys of the rules, each declared once with its meaning, and
/// their readers. Keys read <c>asyncguard.&lt;id&gt;.&lt;name&gt;</c>; values are read per
/// syntax tree, so a folder's <c>.editorconfig</c> can differ from the project's.
/// Severity is not an option here: users set it with <c>dotnet_diagnostic.&lt;id&gt;.severity</c>.
/// </summary>
internal static class Options
{
    /// <summary>The full key of option <paramref name="name"/> of rule <paramref name="ruleId"/>.</summary>
    public static string Key(string ruleId, string name) => $"asyncguard.{ruleId}.{name}";

    /// <summary>The raw value of an option for <paramref name="tree"/>, or null when unset.</summary>
    public static string? GetString(AnalyzerOptions options, SyntaxTree tree, string key) =>
        options.AnalyzerConfigOptionsProvider.GetOptions(tree).TryGetValue(key, out var value) ? value : null;

    /// <summary>A comma- or semicolon-separated list option, trimmed, empty entries dropped.</summary>
    public static ImmutableArray<string> GetList(AnalyzerOptions options, SyntaxTree tree, string key)
    {
        var value = GetString(options, tree, key);
        if (string.IsNullOrWhiteSpace(value)) return ImmutableArray<string>.Empty;
        var builder = ImmutableArray.CreateBuilder<string>();
        foreach (var part in value!.Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries))
        {
            var trimmed = part.Trim();
            if (trimmed.Length > 0) builder.Add(trimmed);
        }

        return builder.ToImmutable();
    }

    /// <summary>A true/false option; anything else (or unset) gives <paramref name="defaultValue"/>.</summary>
    public static bool GetBool(AnalyzerOptions options, SyntaxTree tree, string key, bool defaultValue) =>
        GetString(options, tree, key) is { } value && bool.TryParse(value.Trim(), out var result) ? result : defaultValue;

    /// <summary>Options of AG0031 (synchronous using of an IAsyncDisposable).</summary>
    public static class AG0031
    {
        /// <summary>
        /// <c>asyncguard.AG0031.synchronous_dispose_types</c>: fully qualified type names (comma- or
        /// semicolon-separated) whose DisposeAsync only wraps Dispose; a resource of such a type, or
        /// of a type derived from one, is not flagged. Added to the built-in Stream/TextWriter rule.
        /// </summary>
        public const string SynchronousDisposeTypes = "asyncguard.AG0031.synchronous_dispose_types";
    }
}
