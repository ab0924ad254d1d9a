using System;
using System.Collections.Concurrent;

namespace AsyncGuard;

/// <summary>
/// The <c>.editorconfig</c> keys of the rules, each declared once with its meaning, and
/// their readers. Keys read <c>asyncguard.&lt;id&gt;.&lt;name&gt;</c>; values are read per
/// syntax tree, so a folder's <c>.editorconfig</c> can differ from the project's.
/// Severity is not an option here: users set it with <c>dotnet_diagnostic.&lt;id&gt;.severity</c>.
/// </summary>
internal static class Options
{
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

    /// <summary>Options of AGD0002 (blocking calls) and AGD0006 (async overloads).</summary>
    public static class AGD0002
    {
        /// <summary>
        /// <c>asyncguard.AGD0002.excluded_methods</c>: documentation-comment ids that are never
        /// reported, e.g. <c>M:System.IO.File.ReadAllText(System.String)</c>; <c>*</c> matches
        /// anything, so <c>M:System.IO.File.*</c> or <c>T:System.IO.File*</c> covers a type and
        /// <c>N:MyCompany.Legacy*</c> a namespace. Applies to AGD0006 too.
        /// </summary>
        public const string ExcludedMethods = "asyncguard.AGD0002.excluded_methods";

        /// <summary>
        /// <c>asyncguard.AGD0002.extra_blocking_methods</c>: more methods (same id syntax) that
        /// block; reported as AGD0002 with their async twin when they have one, else with the
        /// offload fix.
        /// </summary>
        public const string ExtraBlockingMethods = "asyncguard.AGD0002.extra_blocking_methods";
    }

    /// <summary>Options of AGD0010 (unobserved task).</summary>
    public static class AGD0010
    {
        /// <summary>
        /// <c>asyncguard.AGD0010.forget_methods</c>: methods whose returned task is fire-and-forget
        /// by design, so a statement calling them is not reported. Comma-separated entries, each a
        /// simple method name (<c>Forget</c>), <c>Type.Method</c>, or <c>Namespace.Type.Method</c>;
        /// no parameter lists. Added to the defaults <c>Forget</c>, <c>FireAndForget</c>,
        /// <c>SafeFireAndForget</c>.
        /// </summary>
        public const string ForgetMethods = "asyncguard.AGD0010.forget_methods";
    }

    /// <summary>Options of AGD0023 (cancellation token not forwarded).</summary>
    public static class AGD0023
    {
        /// <summary>
        /// <c>asyncguard.AGD0023.report_explicit_none</c>: <c>true</c> also reports a call that passes
        /// <c>CancellationToken.None</c> or <c>default</c> while a token is in scope. Default <c>false</c>:
        /// an explicit None is the author's statement that this call must not be cancelled.
        /// </summary>
        public const string ReportExplicitNone = "asyncguard.AGD0023.report_explicit_none";
    }

    /// <summary>Options of AGD0031 (synchronous using of an IAsyncDisposable).</summary>
    public static class AGD0031
    {
        /// <summary>
        /// <c>asyncguard.AGD0031.synchronous_dispose_types</c>: fully qualified type names (comma- or
        /// semicolon-separated) whose DisposeAsync only wraps Dispose; a resource of such a type, or
        /// of a type derived from one, is not flagged. Added to the built-in Stream/TextWriter rule.
        /// </summary>
        public const string SynchronousDisposeTypes = "asyncguard.AGD0031.synchronous_dispose_types";
    }
}

/// <summary>
/// The one cache of parsed option values: a rule creates one per compilation with its parser;
/// the value for a syntax tree is looked up once per tree and parsed once per options object
/// (the trees of one folder share one).
/// </summary>
internal sealed class OptionCache<T>
{
    private readonly ConcurrentDictionary<SyntaxTree, T> byTree = new();
    private readonly ConcurrentDictionary<AnalyzerConfigOptions, T> byOptions = new();
    private readonly Func<AnalyzerOptions, SyntaxTree, T> parse;

    public OptionCache(Func<AnalyzerOptions, SyntaxTree, T> parse) => this.parse = parse;

    public T Get(AnalyzerOptions options, SyntaxTree tree)
    {
        if (byTree.TryGetValue(tree, out var cached)) return cached;
        var config = options.AnalyzerConfigOptionsProvider.GetOptions(tree);
        var value = byOptions.GetOrAdd(config, _ => parse(options, tree));
        byTree.TryAdd(tree, value);
        return value;
    }
}
