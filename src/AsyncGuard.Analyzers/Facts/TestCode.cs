using System;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AsyncGuard;

/// <summary>How the rules treat test code: the value of <see cref="TestCode.ModeKey"/>.</summary>
internal enum TestCodeMode
{
    /// <summary>Only the rules in <see cref="TestCode.KeptInRelaxedTests"/> report in test code (the default).</summary>
    Relaxed,

    /// <summary>Test code is treated like product code.</summary>
    Full,

    /// <summary>No rule reports in test code.</summary>
    Off,
}

/// <summary>
/// Which code is test code, and which rules report there. Test code is a project whose
/// <c>build_property.IsTestProject</c> is <c>true</c> (the test SDK sets it; the package makes it
/// compiler-visible), or that references a test framework assembly (xunit, NUnit, MSTest,
/// TUnit) or BenchmarkDotNet and does not set <c>IsTestProject</c> to <c>false</c>, or a file that an
/// <c>.editorconfig</c> section marks with <see cref="FolderKey"/> <c>= true</c> (<c>false</c>
/// unmarks files of a test project). Tests call sync APIs on purpose, sleep for timing and pass
/// no tokens, so by default only the rules that find bugs which make a test pass wrongly or hang
/// report there. An analyzer asks <see cref="For"/> once per compilation, skips registering when
/// <see cref="SilencesEverywhere"/>, and asks <see cref="Silences"/> before each report.
/// </summary>
internal sealed class TestCode
{
    /// <summary><c>asyncguard.test_code = relaxed | full | off</c>: how the rules treat test code (default <c>relaxed</c>).</summary>
    public const string ModeKey = "asyncguard.test_code";

    /// <summary><c>asyncguard.test_code_folder = true | false</c>: marks (or unmarks) the files of an <c>.editorconfig</c> section as test code.</summary>
    public const string FolderKey = "asyncguard.test_code_folder";

    /// <summary>The MSBuild property the test SDK sets, as the compiler sees it.</summary>
    public const string IsTestProjectKey = "build_property.IsTestProject";

    /// <summary>
    /// The rules that stay on in test code under <see cref="TestCodeMode.Relaxed"/>: they find
    /// tests that pass without checking what they claim (a call's task dropped, an exception lost
    /// in async void, a catch that misses OperationCanceledException) or that hang or fail at
    /// random (a lock across await, a Task&lt;Task&gt;, a semaphore released without being acquired).
    /// Every other rule is about thread economy or style, which a test does not need.
    /// The decision for each rule is measured in docs/precision.md.
    /// </summary>
    public static readonly ImmutableHashSet<string> KeptInRelaxedTests = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "AGD0005",
        "AGD0010",
        "AGD0012",
        "AGD0013",
        "AGD0014",
        "AGD0022",
        "AGD0025");

    /// <summary>
    /// Simple names of the test framework assemblies whose reference makes a project test code; a
    /// benchmark harness counts too (it blocks on tasks and drops tokens on purpose, as tests do).
    /// </summary>
    private static readonly ImmutableHashSet<string> FrameworkAssemblies = ImmutableHashSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "xunit.core",
        "xunit.v3.core",
        "nunit.framework",
        "Microsoft.VisualStudio.TestPlatform.TestFramework",
        "MSTest.TestFramework",
        "TUnit.Core",
        "BenchmarkDotNet");

    // The facts of each compilation, made by the first analyzer that asks.
    private static readonly ConditionalWeakTable<Compilation, StrongBox<TestCode?>> Cache = new();

    private readonly AnalyzerConfigOptionsProvider options;
    private readonly bool referencesFramework;

    // Over every tree of the compilation: is any of it test code, any product code, and which modes does its test code use?
    private readonly bool anyTestTree;
    private readonly bool anyProductTree;
    private readonly bool anyFull;
    private readonly bool anyRelaxed;

    private TestCode(AnalyzerConfigOptionsProvider options, bool referencesFramework, bool anyTestTree, bool anyProductTree, bool anyFull, bool anyRelaxed)
    {
        this.options = options;
        this.referencesFramework = referencesFramework;
        this.anyTestTree = anyTestTree;
        this.anyProductTree = anyProductTree;
        this.anyFull = anyFull;
        this.anyRelaxed = anyRelaxed;
    }

    /// <summary>True when the rule <paramref name="id"/> reports in test code under <see cref="TestCodeMode.Relaxed"/>.</summary>
    public static bool IsKeptInRelaxedTests(string id) => KeptInRelaxedTests.Contains(id);

    /// <summary>
    /// The test-code facts of <paramref name="compilation"/> with its analyzer options. Every tree
    /// is looked at once here (a few dictionary lookups each), so that product code with no marked
    /// folder pays nothing more per report.
    /// </summary>
    public static TestCode For(Compilation compilation, AnalyzerOptions analyzerOptions)
    {
        // Every analyzer asks at its compilation start: the trees are looked at once per
        // compilation (and options), not once per analyzer. In the IDE each edit makes a new
        // compilation of the whole project, so this is the part of a keystroke's cost that grows
        // with the project's size.
        var provider = analyzerOptions.AnalyzerConfigOptionsProvider;
        var holder = Cache.GetValue(compilation, static _ => new StrongBox<TestCode?>());
        if (Volatile.Read(ref holder.Value) is { } known && ReferenceEquals(known.options, provider)) return known;
        var made = Compute(compilation, provider);
        Volatile.Write(ref holder.Value, made);
        return made;
    }

    private static TestCode Compute(Compilation compilation, AnalyzerConfigOptionsProvider provider)
    {
        var referencesFramework = compilation.ReferencedAssemblyNames.Any(a => FrameworkAssemblies.Contains(a.Name));
        bool anyTest = false, anyProduct = false, anyFull = false, anyRelaxed = false;
        AnalyzerConfigOptions? previous = null;
        foreach (var tree in compilation.SyntaxTrees)
        {
            // Trees under the same .editorconfig sections share one options object: read it once.
            var treeOptions = provider.GetOptions(tree);
            if (ReferenceEquals(treeOptions, previous)) continue;
            previous = treeOptions;
            if (!IsTestTree(treeOptions, provider.GlobalOptions, referencesFramework))
            {
                anyProduct = true;
                continue;
            }

            anyTest = true;
            switch (ModeOf(treeOptions, provider.GlobalOptions))
            {
                case TestCodeMode.Full: anyFull = true; break;
                case TestCodeMode.Relaxed: anyRelaxed = true; break;
            }
        }

        return new TestCode(provider, referencesFramework, anyTest, anyProduct, anyFull, anyRelaxed);
    }

    /// <summary>
    /// True when none of <paramref name="descriptors"/> can report anywhere in the compilation:
    /// it is all test code, and its mode silences them all. The analyzer then registers nothing.
    /// </summary>
    public bool SilencesEverywhere(ImmutableArray<DiagnosticDescriptor> descriptors) =>
        !anyProductTree && !anyFull && (!anyRelaxed || !descriptors.Any(d => IsKeptInRelaxedTests(d.Id)));

    /// <summary>True when a diagnostic of <paramref name="descriptor"/> in <paramref name="tree"/> must not be reported.</summary>
    public bool Silences(DiagnosticDescriptor descriptor, SyntaxTree? tree)
    {
        if (!anyTestTree || tree is null) return false;
        var treeOptions = options.GetOptions(tree);
        if (!IsTestTree(treeOptions, options.GlobalOptions, referencesFramework)) return false;
        return ModeOf(treeOptions, options.GlobalOptions) switch
        {
            TestCodeMode.Full => false,
            TestCodeMode.Off => true,
            _ => !IsKeptInRelaxedTests(descriptor.Id),
        };
    }

    /// <summary>True when no diagnostic of <paramref name="descriptors"/> may be reported in <paramref name="tree"/>.</summary>
    public bool SilencesAll(ImmutableArray<DiagnosticDescriptor> descriptors, SyntaxTree? tree)
    {
        foreach (var descriptor in descriptors)
        {
            if (!Silences(descriptor, tree)) return false;
        }

        return true;
    }

    /// <summary>True when a diagnostic of <paramref name="descriptor"/> at <paramref name="location"/> must not be reported.</summary>
    public bool Silences(DiagnosticDescriptor descriptor, Location location) => Silences(descriptor, location.SourceTree);

    /// <summary>
    /// A file of test code: marked by <see cref="FolderKey"/>, else in a project whose
    /// <c>IsTestProject</c> is true (an explicit false wins over a framework reference), else in a
    /// project that references a test framework.
    /// </summary>
    private static bool IsTestTree(AnalyzerConfigOptions treeOptions, AnalyzerConfigOptions globalOptions, bool referencesFramework)
    {
        if (ReadBool(treeOptions, FolderKey) is { } marked) return marked;
        if ((ReadBool(treeOptions, IsTestProjectKey) ?? ReadBool(globalOptions, IsTestProjectKey)) is { } isTestProject) return isTestProject;
        return referencesFramework;
    }

    private static bool? ReadBool(AnalyzerConfigOptions options, string key) =>
        options.TryGetValue(key, out var value) && bool.TryParse(value.Trim(), out var result) ? result : null;

    private static TestCodeMode ModeOf(AnalyzerConfigOptions treeOptions, AnalyzerConfigOptions globalOptions)
    {
        if (!treeOptions.TryGetValue(ModeKey, out var value) && !globalOptions.TryGetValue(ModeKey, out value)) return TestCodeMode.Relaxed;
        return value.Trim().ToLowerInvariant() switch
        {
            "full" => TestCodeMode.Full,
            "off" => TestCodeMode.Off,
            _ => TestCodeMode.Relaxed,
        };
    }
}
