using System;
using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AsyncGuard.Tests.Verifiers;

/// <summary>The verifier fails where it must: each test feeds it a wrong expectation or a broken analyzer or fix.</summary>
public sealed class VerifierSelfTests
{
    private const string Source = """
        class C
        {
            void M() { int [|x|] = 1; }
        }
        """;

    [Fact]
    public Task CorrectExpectation_Passes() =>
        new AsyncGuardTest(new LocalNamedXAnalyzer()) { TestCode = Source, SkipSuppressionChecks = true }.RunAsync();

    [Fact]
    public Task WrongSpan_Fails() => AssertFails(new AsyncGuardTest(new LocalNamedXAnalyzer())
    {
        TestCode = "class C { void M() { [|int x|] = 1; } }",
    }, "missing: TEST01");

    [Fact]
    public Task MissingDiagnostic_Fails() => AssertFails(new AsyncGuardTest(new LocalNamedXAnalyzer())
    {
        TestCode = "class C { void M() { int y = 1; [|int z = 2;|] } }",
    }, "missing: TEST01");

    [Fact]
    public Task ExtraDiagnostic_Fails() => AssertFails(new AsyncGuardTest(new LocalNamedXAnalyzer())
    {
        TestCode = "class C { void M() { int x = 1; } }",
    }, "unexpected: TEST01");

    [Fact]
    public Task MessageArguments_AreChecked()
    {
        var test = new AsyncGuardTest(new LocalNamedXAnalyzer()) { TestCode = "class C { void M() { int {|#0:x|} = 1; } }" };
        test.ExpectedDiagnostics.Add(new DiagnosticResult("TEST01").WithLocation(0).WithArguments("y"));
        return AssertFails(test, "message of TEST01");
    }

    [Fact]
    public Task FailureMessage_ShowsSourceAnnotatedWithActualDiagnostics() => AssertFails(new AsyncGuardTest(new LocalNamedXAnalyzer())
    {
        TestCode = "class C { void M() { int x = 1; } }",
    }, "int {|TEST01:x|} = 1;");

    [Fact]
    public Task UnmarkedCompilerError_Fails() => AssertFails(new AsyncGuardTest(new LocalNamedXAnalyzer())
    {
        TestCode = "class C { void M() { int [|x|] = undefined; } }",
    }, "CS0103");

    [Fact]
    public Task MarkedCompilerError_Passes() => new AsyncGuardTest(new LocalNamedXAnalyzer())
    {
        TestCode = "class C { void M() { int [|x|] = {|CS0103:undefined|}; } }",
        SkipSuppressionChecks = true,
    }.RunAsync();

    [Fact]
    public Task AnalyzerException_Fails() => AssertFails(new AsyncGuardTest(new ThrowingAnalyzer())
    {
        TestCode = "class C { }",
    }, "threw");

    [Fact]
    public Task AnalyzerIgnoringGeneratedCode_FailsSuppressionCheck() => AssertFails(new AsyncGuardTest(new GeneratedCodeAnalyzer())
    {
        TestCode = Source,
    }, "generated code");

    [Fact]
    public Task Fix_AppliedAndCompared_Passes() => new AsyncGuardTest(new LocalNamedXAnalyzer(), new RenameFix("y"))
    {
        TestCode = Source,
        FixedCode = """
            class C
            {
                void M() { int y = 1; }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task Fix_WrongExpectedText_Fails() => AssertFails(new AsyncGuardTest(new LocalNamedXAnalyzer(), new RenameFix("y"))
    {
        TestCode = Source,
        FixedCode = "class C\n{\n    void M() { int z = 1; }\n}",
    }, "differs from the expected one");

    [Fact]
    public Task LoopingFix_Fails() => AssertFails(new AsyncGuardTest(new LocalNamedXAnalyzer(), new RenameFix("x", appendUnderscore: true))
    {
        TestCode = Source,
        FixedCode = Source.Replace("[|x|]", "y", StringComparison.Ordinal),
        MaxFixIterations = 5,
    }, "changed nothing");

    [Fact]
    public Task FixThatNeverConverges_Fails() => AssertFails(new AsyncGuardTest(new AnyLocalAnalyzer(), new RenameFix(null, appendUnderscore: true))
    {
        TestCode = "class C { void M() { int [|a|] = 1; } }",
        FixedCode = "class C { void M() { int a_ = 1; } }",
        MaxFixIterations = 5,
    }, "fixed point");

    [Fact]
    public Task FixThatBreaksCompilation_Fails() => AssertFails(new AsyncGuardTest(new LocalNamedXAnalyzer(), new RenameFix("broken"))
    {
        TestCode = Source,
        FixedCode = "class C\n{\n    void M() { int y = missing = 1; }\n}",
    }, "Compiler errors in the source after");

    [Fact]
    public Task NoFixExpected_ButOffered_Fails() => AssertFails(new AsyncGuardTest(new LocalNamedXAnalyzer(), new RenameFix("y"))
    {
        TestCode = Source,
        FixedCode = Source,
    }, "Expected no code fix");

    private static async Task AssertFails(AsyncGuardTest test, string expectedInMessage)
    {
        var exception = await Assert.ThrowsAsync<VerifierFailedException>(() => test.RunAsync());
        Assert.Contains(expectedInMessage, exception.Message, StringComparison.Ordinal);
    }

    private static readonly DiagnosticDescriptor Rule = new("TEST01", "Local named x", "Local '{0}' is named x", "Test", DiagnosticSeverity.Warning, true);

    /// <summary>Reports locals named x, on the name.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class LocalNamedXAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterSyntaxNodeAction(c =>
            {
                var variable = (VariableDeclaratorSyntax)c.Node;
                if (variable.Identifier.ValueText == "x")
                    c.ReportDiagnostic(Diagnostic.Create(Rule, variable.Identifier.GetLocation(), "x"));
            }, SyntaxKind.VariableDeclarator);
        }
    }

    /// <summary>Reports every local whose name does not end in an underscore.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class AnyLocalAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterSyntaxNodeAction(c =>
            {
                var variable = (VariableDeclaratorSyntax)c.Node;
                c.ReportDiagnostic(Diagnostic.Create(Rule, variable.Identifier.GetLocation(), variable.Identifier.ValueText));
            }, SyntaxKind.VariableDeclarator);
        }
    }

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class GeneratedCodeAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
            context.EnableConcurrentExecution();
            context.RegisterSyntaxNodeAction(c =>
            {
                var variable = (VariableDeclaratorSyntax)c.Node;
                if (variable.Identifier.ValueText == "x")
                    c.ReportDiagnostic(Diagnostic.Create(Rule, variable.Identifier.GetLocation(), "x"));
            }, SyntaxKind.VariableDeclarator);
        }
    }

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class ThrowingAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterSyntaxNodeAction(_ => throw new InvalidOperationException("boom"), SyntaxKind.ClassDeclaration);
        }
    }

    /// <summary>Renames the reported local to a fixed name, or appends an underscore to it.</summary>
    [Shared]
    private sealed class RenameFix : CodeFixProvider
    {
        private readonly string? newName;
        private readonly bool appendUnderscore;

        public RenameFix(string? newName, bool appendUnderscore = false)
        {
            this.newName = newName;
            this.appendUnderscore = appendUnderscore;
        }

        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create("TEST01");

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = (await context.Document.GetSyntaxRootAsync(context.CancellationToken))!;
            var token = root.FindToken(context.Span.Start);
            var name = appendUnderscore
                ? (newName is null ? token.ValueText + "_" : token.ValueText)
                : newName!;
            var replacement = SyntaxFactory.Identifier(token.LeadingTrivia, SyntaxKind.IdentifierToken, name, name, token.TrailingTrivia);
            var text = await context.Document.GetTextAsync(context.CancellationToken);
            context.RegisterCodeFix(
                CodeAction.Create(
                    "Rename",
                    _ => Task.FromResult(name == "broken"
                        ? context.Document.WithText(text.WithChanges(new Microsoft.CodeAnalysis.Text.TextChange(token.Span, "y = missing")))
                        : context.Document.WithSyntaxRoot(root.ReplaceToken(token, replacement))),
                    "Rename"),
                context.Diagnostics);
        }
    }
}
