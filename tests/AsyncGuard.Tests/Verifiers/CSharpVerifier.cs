using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace AsyncGuard.Tests.Verifiers;

/// <summary>
/// The rule tests' entry points, on the official Roslyn test library (Microsoft.CodeAnalysis.Testing
/// with <see cref="DefaultVerifier"/>). It checks the diagnostics (ids, spans, messages where
/// given, severities), compiler errors in the input and the fixed output, analyzer exceptions
/// (AD0001), silence under <c>#pragma warning disable</c> and in generated code, the fix one by
/// one and Fix All in document, project and solution scope, each with its expected number of
/// iterations (Fix All: exactly one unless a test says otherwise), and that the tree a fix builds
/// is the tree its text parses to.
/// </summary>
public static class CSharpAnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static DiagnosticResult Diagnostic(string id) =>
        CSharpAnalyzerVerifier<TAnalyzer, DefaultVerifier>.Diagnostic(id);

    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    public sealed class Test : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    {
        public Test() => ReferenceAssemblies = TestReferences.Net100;

        /// <summary>Lines for the project's <c>.editorconfig</c> (section <c>[*.cs]</c>).</summary>
        public string EditorConfig { set => TestSetup.AddEditorConfig(TestState, value); }

        public OutputKind OutputKind { set => TestState.OutputKind = value; }

        public LanguageVersion LanguageVersion { get; set; } = LanguageVersion.Latest;

        protected override CompilationOptions CreateCompilationOptions() => TestSetup.CompilationOptions(base.CreateCompilationOptions());

        protected override ParseOptions CreateParseOptions() => ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion);
    }
}

/// <summary>Analyzer plus code-fix verification: diagnostics, then the fix one by one and with Fix All.</summary>
public static class CSharpCodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public static DiagnosticResult Diagnostic(string id) =>
        CSharpCodeFixVerifier<TAnalyzer, TCodeFix, DefaultVerifier>.Diagnostic(id);

    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>The fix of every diagnostic in <paramref name="source"/>; equal texts mean "no fix is offered".</summary>
    public static Task VerifyCodeFixAsync(string source, string fixedSource) =>
        VerifyCodeFixAsync(source, System.Array.Empty<DiagnosticResult>(), fixedSource);

    public static Task VerifyCodeFixAsync(string source, DiagnosticResult[] expected, string fixedSource)
    {
        var test = new Test { TestCode = source, FixedCode = fixedSource };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    public sealed class Test : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    {
        public Test() => ReferenceAssemblies = TestReferences.Net100;

        /// <summary>The expected source after fixing; its markup states the diagnostics left (a finding with no fix).</summary>
        public new string FixedCode
        {
            set
            {
                base.FixedCode = value;
                FixedState.MarkupHandling = MarkupMode.Allow;
            }
        }

        /// <summary>Lines for the project's <c>.editorconfig</c> (section <c>[*.cs]</c>).</summary>
        public string EditorConfig { set => TestSetup.AddEditorConfig(TestState, value); }

        public OutputKind OutputKind { set => TestState.OutputKind = value; }

        public LanguageVersion LanguageVersion { get; set; } = LanguageVersion.Latest;

        /// <summary>Skips Fix All, for fixes whose bulk form is tested on its own.</summary>
        public bool SkipFixAll
        {
            set => CodeFixTestBehaviors = value
                ? CodeFixTestBehaviors | CodeFixTestBehaviors.SkipFixAllCheck
                : CodeFixTestBehaviors & ~CodeFixTestBehaviors.SkipFixAllCheck;
        }

        protected override CompilationOptions CreateCompilationOptions() => TestSetup.CompilationOptions(base.CreateCompilationOptions());

        protected override ParseOptions CreateParseOptions() => ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion);
    }
}

/// <summary>What both kinds of rule test share: the nullable context and the editorconfig.</summary>
internal static class TestSetup
{
    public static void AddEditorConfig(SolutionState state, string lines) =>
        state.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\n" + lines + "\n"));

    public static CompilationOptions CompilationOptions(CompilationOptions options) =>
        ((CSharpCompilationOptions)options).WithNullableContextOptions(NullableContextOptions.Enable);
}
