namespace AsyncGuard.CodeFixes.Common;

/// <summary>
/// The Fix All providers of the AsyncGuard fixers: batch or sequential, plus one repair.
/// <c>dotnet format analyzers</c> fixes one id at a time, but takes the equivalence key from
/// the first diagnostic of any id the analyzer reported; for an analyzer with several ids
/// (AGD0002/AGD0006, AGD0020 to AGD0022, ...) that key can belong to another id and match no
/// action, and the batch fixer then returns nothing ("Unable to fix"). When the key matches
/// nothing, this provider asks again with the key of the first action the requested ids do
/// offer. The IDE always passes a key taken from an offered action, so it is unaffected.
/// </summary>
internal sealed class FixAll : FixAllProvider
{
    private readonly FixAllProvider inner;

    /// <summary>Every fix computed on the original document and merged (Roslyn's batch fixer).</summary>
    public static FixAllProvider Provider { get; } = new FixAll(WellKnownFixAllProviders.BatchFixer);

    /// <summary>
    /// The fixes applied one after another in each document, each on the result of the last,
    /// for fixers whose edits overlap: two findings in one function both make it async, and
    /// the batch fixer would keep only one of the two edits, leaving the other for a second pass.
    /// </summary>
    public static FixAllProvider Sequential { get; } = new FixAll(Create(SequentialFixAll.FixDocumentAsync));

    private FixAll(FixAllProvider inner) => this.inner = inner;

    public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() =>
        WellKnownFixAllProviders.BatchFixer.GetSupportedFixAllScopes();

    public override async Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
    {
        var fix = await inner.GetFixAsync(fixAllContext).ConfigureAwait(false);
        if (fix is not null) return fix;

        var key = await FirstOfferedKeyAsync(fixAllContext).ConfigureAwait(false);
        if (key is null || key == fixAllContext.CodeActionEquivalenceKey) return null;

        var retry = fixAllContext.Document is { } document
            ? new FixAllContext(document, fixAllContext.CodeFixProvider, fixAllContext.Scope, key, fixAllContext.DiagnosticIds, new Delegating(fixAllContext), fixAllContext.CancellationToken)
            : new FixAllContext(fixAllContext.Project, fixAllContext.CodeFixProvider, fixAllContext.Scope, key, fixAllContext.DiagnosticIds, new Delegating(fixAllContext), fixAllContext.CancellationToken);
        return await inner.GetFixAsync(retry).ConfigureAwait(false);
    }

    private static async Task<string?> FirstOfferedKeyAsync(FixAllContext context)
    {
        var diagnostics = context.Document is { } document && context.Scope is FixAllScope.Document
            ? await context.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false)
            : await context.GetAllDiagnosticsAsync(context.Project).ConfigureAwait(false);
        foreach (var diagnostic in diagnostics.Where(d => context.DiagnosticIds.Contains(d.Id) && d.Location.IsInSource).OrderBy(d => d.Location.SourceSpan.Start))
        {
            var target = context.Solution.GetDocument(diagnostic.Location.SourceTree);
            if (target is null) continue;
            string? key = null;
            var found = false;
            var codeFixContext = new CodeFixContext(target, diagnostic, (action, _) =>
            {
                if (found) return;
                found = true;
                key = action.EquivalenceKey;
            }, context.CancellationToken);
            await context.CodeFixProvider.RegisterCodeFixesAsync(codeFixContext).ConfigureAwait(false);
            if (found) return key;
        }

        return null;
    }

    /// <summary>Hands the original context's diagnostics to the retried one.</summary>
    private sealed class Delegating : FixAllContext.DiagnosticProvider
    {
        private readonly FixAllContext original;

        public Delegating(FixAllContext original) => this.original = original;

        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) =>
            await original.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false);

        public override async Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            await original.GetProjectDiagnosticsAsync(project).ConfigureAwait(false);

        public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            await original.GetAllDiagnosticsAsync(project).ConfigureAwait(false);
    }
}
