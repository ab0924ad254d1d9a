using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace AsyncGuard.Tests.Verifiers;

/// <summary>
/// A one-document workspace with every rule loaded, for the tests that run thousands of
/// sources (robustness) or ask questions the rule verifier does not (suppression by
/// editorconfig): compiles against the host's framework assemblies, fails on an analyzer
/// exception, and applies code actions and Fix All directly.
/// </summary>
public sealed class Workbench
{
    public Workbench(IEnumerable<DiagnosticAnalyzer> analyzers) => Analyzers = analyzers.ToImmutableArray();

    public ImmutableArray<DiagnosticAnalyzer> Analyzers { get; }

    public OutputKind OutputKind { get; init; } = OutputKind.DynamicallyLinkedLibrary;

    /// <summary>Lines for the project's <c>.editorconfig</c> (section <c>[*.cs]</c>).</summary>
    public string? EditorConfig { get; init; }

    private ImmutableHashSet<string> SupportedIds =>
        Analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).ToImmutableHashSet();

    public Document CreateDocument(string source)
    {
        var workspace = new AdhocWorkspace();
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.Diagnose);
        var compilationOptions = new CSharpCompilationOptions(OutputKind, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable);
        var projectId = ProjectId.CreateNewId();
        var solution = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(projectId, VersionStamp.Default, "TestProject", "TestProject", LanguageNames.CSharp,
                filePath: "/TestProject.csproj",
                compilationOptions: compilationOptions,
                parseOptions: parseOptions,
                metadataReferences: TestReferences.Runtime));
        // The references include xunit, which would make every input test code (see TestCode): say it is not, unless a test says otherwise.
        var editorConfig = "root = true\n\n[*.cs]\nbuild_property.IsTestProject = false\n" + (EditorConfig ?? string.Empty) + "\n";
        solution = solution.AddAnalyzerConfigDocument(DocumentId.CreateNewId(projectId), ".editorconfig", SourceText.From(editorConfig), filePath: "/.editorconfig");
        var documentId = DocumentId.CreateNewId(projectId);
        solution = solution.AddDocument(documentId, "Test0.cs", SourceText.From(source), filePath: "/Test0.cs");
        return solution.GetDocument(documentId)!;
    }

    /// <summary>The diagnostics of the loaded rules, in span order; an analyzer exception throws.</summary>
    public async Task<ImmutableArray<Diagnostic>> GetDiagnosticsAsync(Document document, CancellationToken cancellationToken)
    {
        var compilation = (await document.Project.GetCompilationAsync(cancellationToken))!;
        var exceptions = new ConcurrentQueue<string>();
        var options = new CompilationWithAnalyzersOptions(
            document.Project.AnalyzerOptions,
            (exception, analyzer, diagnostic) => exceptions.Enqueue($"{analyzer.GetType().Name} threw on {diagnostic.Location}: {exception}"),
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers(Analyzers, options).GetAnalyzerDiagnosticsAsync(cancellationToken);
        var crashes = diagnostics.Where(d => d.Id == "AD0001").Select(d => d.GetMessage()).Concat(exceptions).ToList();
        if (crashes.Count > 0) throw new InvalidOperationException("An analyzer threw:\n" + string.Join("\n", crashes));

        var ids = SupportedIds;
        return diagnostics
            .Where(d => ids.Contains(d.Id) && !d.IsSuppressed)
            .OrderBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Location.SourceSpan.End).ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToImmutableArray();
    }

    /// <summary>The code actions <paramref name="fixer"/> offers for <paramref name="diagnostic"/>, nested ones flattened.</summary>
    public static async Task<List<CodeAction>> GetActionsAsync(CodeFixProvider fixer, Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), cancellationToken);
        await fixer.RegisterCodeFixesAsync(context);
        return actions.SelectMany(a => a.NestedActions.IsDefaultOrEmpty ? new[] { a } : a.NestedActions.ToArray()).ToList();
    }

    /// <summary>Fix All in <paramref name="scope"/> for one fixer and equivalence key, or null when the provider offers nothing.</summary>
    public async Task<CodeAction?> GetFixAllActionAsync(CodeFixProvider fixer, Document document, FixAllScope scope, string? equivalenceKey, CancellationToken cancellationToken)
    {
        var provider = fixer.GetFixAllProvider()
            ?? throw new InvalidOperationException($"{fixer.GetType().Name} has no Fix All provider.");
        var context = new FixAllContext(document, fixer, scope, equivalenceKey, fixer.FixableDiagnosticIds,
            new DiagnosticProvider(this), cancellationToken);
        return await provider.GetFixAsync(context);
    }

    public static async Task<Document> ApplyAsync(Document document, CodeAction action, CancellationToken cancellationToken)
    {
        var operations = await action.GetOperationsAsync(cancellationToken);
        var apply = operations.OfType<ApplyChangesOperation>().SingleOrDefault()
            ?? throw new InvalidOperationException($"Code action '{action.Title}' has no ApplyChangesOperation.");
        return apply.ChangedSolution.GetDocument(document.Id)!;
    }

    private sealed class DiagnosticProvider : FixAllContext.DiagnosticProvider
    {
        private readonly Workbench workbench;

        public DiagnosticProvider(Workbench workbench) => this.workbench = workbench;

        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) =>
            await workbench.GetDiagnosticsAsync(document, cancellationToken);

        public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
        {
            var all = new List<Diagnostic>();
            foreach (var document in project.Documents) all.AddRange(await workbench.GetDiagnosticsAsync(document, cancellationToken));
            return all.Distinct();
        }

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult(Enumerable.Empty<Diagnostic>());
    }
}
