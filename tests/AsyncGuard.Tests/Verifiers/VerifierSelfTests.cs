using System;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AsyncGuard.Tests.Verifiers;

/// <summary>
/// The rule verifier, as set up here on the official test library, fails where it must: each
/// test feeds it a wrong expectation or a broken analyzer or fix.
/// </summary>
public sealed class VerifierSelfTests
{
    private const string Source = """
        class C
        {
            void M() { int [|x|] = 1; }
        }
        """;

    private const string Renamed = """
        class C
        {
            void M() { int y = 1; }
        }
        """;

    [Fact]
    public Task CorrectExpectation_Passes() => CSharpAnalyzerVerifier<LocalNamedX>.VerifyAnalyzerAsync(Source);

    [Fact]
    public Task WrongSpan_Fails() => AssertFails(
        CSharpAnalyzerVerifier<LocalNamedX>.VerifyAnalyzerAsync("class C { void M() { [|int x|] = 1; } }"));

    [Fact]
    public Task MissingDiagnostic_Fails() => AssertFails(
        CSharpAnalyzerVerifier<LocalNamedX>.VerifyAnalyzerAsync("class C { void M() { int y = 1; [|int z = 2;|] } }"));

    [Fact]
    public Task ExtraDiagnostic_Fails() => AssertFails(
        CSharpAnalyzerVerifier<LocalNamedX>.VerifyAnalyzerAsync("class C { void M() { int x = 1; } }"));

    [Fact]
    public Task MessageArguments_AreChecked() => AssertFails(
        CSharpAnalyzerVerifier<LocalNamedX>.VerifyAnalyzerAsync(
            "class C { void M() { int {|#0:x|} = 1; } }",
            CSharpAnalyzerVerifier<LocalNamedX>.Diagnostic("TEST01").WithLocation(0).WithArguments("y")));

    [Fact]
    public Task UnmarkedCompilerError_Fails() => AssertFails(
        CSharpAnalyzerVerifier<LocalNamedX>.VerifyAnalyzerAsync("class C { void M() { int [|x|] = undefined; } }"), "CS0103");

    [Fact]
    public Task MarkedCompilerError_Passes() =>
        CSharpAnalyzerVerifier<LocalNamedX>.VerifyAnalyzerAsync("class C { void M() { int [|x|] = {|CS0103:undefined|}; } }");

    [Fact]
    public Task AnalyzerException_Fails() => AssertFails(
        CSharpAnalyzerVerifier<Throwing>.VerifyAnalyzerAsync("class C { }"), "AD0001");

    [Fact]
    public Task WrongSeverity_Fails() => AssertFails(
        CSharpAnalyzerVerifier<LocalNamedX>.VerifyAnalyzerAsync(
            "class C { void M() { int {|#0:x|} = 1; } }",
            CSharpAnalyzerVerifier<LocalNamedX>.Diagnostic("TEST01").WithLocation(0).WithSeverity(DiagnosticSeverity.Error)));

    [Fact]
    public Task UndeclaredDescriptor_Fails() => AssertFails(
        CSharpAnalyzerVerifier<ReportsUndeclared>.VerifyAnalyzerAsync("class C { void M() { int x = 1; } }"), "AD0001");

    [Fact]
    public Task Fix_AppliedAndCompared_Passes() => CSharpCodeFixVerifier<LocalNamedX, RenameToY>.VerifyCodeFixAsync(Source, Renamed);

    [Fact]
    public Task Fix_WrongExpectedText_Fails() => AssertFails(
        CSharpCodeFixVerifier<LocalNamedX, RenameToY>.VerifyCodeFixAsync(Source, Renamed.Replace("int y", "int z", StringComparison.Ordinal)));

    [Fact]
    public Task FixThatNeverConverges_Fails() => AssertFails(
        CSharpCodeFixVerifier<AnyLocal, AppendUnderscore>.VerifyCodeFixAsync("class C { void M() { int [|a|] = 1; } }", "class C { void M() { int a_ = 1; } }"));

    [Fact]
    public Task FixThatBreaksCompilation_Fails() => AssertFails(
        CSharpCodeFixVerifier<LocalNamedX, BreakBuild>.VerifyCodeFixAsync(Source, "class C\n{\n    void M() { int y = missing = 1; }\n}"), "CS0103");

    [Fact]
    public Task NoFixExpected_ButOffered_Fails() => AssertFails(
        CSharpCodeFixVerifier<LocalNamedX, RenameToY>.VerifyCodeFixAsync(Source, Source));

    [Fact]
    public Task FixAllThatNeedsTwoPasses_Fails() => AssertFails(
        CSharpCodeFixVerifier<LocalNamedX, RenameOnlyFirstInFixAll>.VerifyCodeFixAsync(
            "class C { void M() { int [|x|] = 1; } void N() { int [|x|] = 2; } }",
            "class C { void M() { int y = 1; } void N() { int y = 2; } }"),
        "iterations");

    private static async Task AssertFails(Task verification, string? expectedInMessage = null)
    {
        var exception = await Assert.ThrowsAnyAsync<Exception>(() => verification);
        if (expectedInMessage is not null) Assert.Contains(expectedInMessage, exception.Message, StringComparison.Ordinal);
    }

    private static readonly DiagnosticDescriptor Rule = new("TEST01", "Local named x", "Local '{0}' is named x", "Test", DiagnosticSeverity.Warning, true);

    private static void ReportLocals(AnalysisContext context, Func<string, bool> report) =>
        context.RegisterSyntaxNodeAction(c =>
        {
            var variable = (VariableDeclaratorSyntax)c.Node;
            if (report(variable.Identifier.ValueText))
                c.ReportDiagnostic(Diagnostic.Create(Rule, variable.Identifier.GetLocation(), variable.Identifier.ValueText));
        }, SyntaxKind.VariableDeclarator);

    /// <summary>Reports locals named x, on the name.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class LocalNamedX : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            ReportLocals(context, n => n == "x");
        }
    }

    /// <summary>Reports every local whose name does not end in an underscore.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class AnyLocal : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            ReportLocals(context, _ => true);
        }
    }

    /// <summary>Reports a descriptor it does not declare in <see cref="DiagnosticAnalyzer.SupportedDiagnostics"/>.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class ReportsUndeclared : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Undeclared = new("TEST02", "Undeclared", "Undeclared", "Test", DiagnosticSeverity.Warning, true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
#pragma warning disable RS1005 // the mistake under test
            context.RegisterSyntaxNodeAction(c => c.ReportDiagnostic(Diagnostic.Create(Undeclared, c.Node.GetLocation())), SyntaxKind.VariableDeclarator);
#pragma warning restore RS1005
        }
    }

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class Throwing : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterSyntaxNodeAction(_ => throw new InvalidOperationException("boom"), SyntaxKind.ClassDeclaration);
        }
    }

    /// <summary>Renames the reported local by <see cref="NewName"/>; Fix All through the batch fixer.</summary>
    public abstract class RenameFix : CodeFixProvider
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create("TEST01");

        public override FixAllProvider? GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        protected abstract string NewName(string name);

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = (await context.Document.GetSyntaxRootAsync(context.CancellationToken))!;
            var token = root.FindToken(context.Span.Start);
            var name = NewName(token.ValueText);
            var text = await context.Document.GetTextAsync(context.CancellationToken);
            context.RegisterCodeFix(
                CodeAction.Create(
                    "Rename",
                    _ => Task.FromResult(context.Document.WithText(text.WithChanges(new Microsoft.CodeAnalysis.Text.TextChange(token.Span, name)))),
                    "Rename"),
                context.Diagnostics);
        }
    }

    [Shared]
    public sealed class RenameToY : RenameFix
    {
        protected override string NewName(string name) => "y";
    }

    [Shared]
    public sealed class AppendUnderscore : RenameFix
    {
        protected override string NewName(string name) => name + "_";
    }

    [Shared]
    public sealed class BreakBuild : RenameFix
    {
        protected override string NewName(string name) => "y = missing";
    }

    /// <summary>A Fix All that fixes only the first finding per pass, as the batch fixer did for overlapping edits.</summary>
    [Shared]
    public sealed class RenameOnlyFirstInFixAll : RenameFix
    {
        protected override string NewName(string name) => "y";

        public override FixAllProvider? GetFixAllProvider() => FixAllProvider.Create(async (context, document, diagnostics) =>
        {
            var first = diagnostics.OrderBy(d => d.Location.SourceSpan.Start).First();
            var text = await document.GetTextAsync(context.CancellationToken);
            return document.WithText(text.WithChanges(new Microsoft.CodeAnalysis.Text.TextChange(first.Location.SourceSpan, "y")));
        });
    }
}
