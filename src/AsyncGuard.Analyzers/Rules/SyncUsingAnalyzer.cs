using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AsyncGuard.Rules;

/// <summary>
/// Flags a plain <c>using</c> (statement or declaration) in async code whose resource has a
/// real asynchronous dispose (AGD0031): <c>Dispose</c> blocks on the I/O that <c>await using</c>
/// would await. Types whose <c>DisposeAsync</c> only wraps <c>Dispose</c> (those that inherit
/// it from <c>Stream</c> or <c>TextWriter</c>, such as <c>MemoryStream</c>) stay silent. A pattern
/// <c>DisposeAsync()</c> counts, and so does a factory call whose sibling factory makes an
/// async-disposable (<c>CreateScope()</c> beside <c>CreateAsyncScope()</c>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SyncUsingAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: the async-disposable sibling factory to call instead (<c>CreateAsyncScope</c>), when the resource is not async-disposable itself.</summary>
    public const string FactoryProperty = "Factory";

    // Base types whose DisposeAsync calls Dispose and returns a completed task: a type that
    // inherits DisposeAsync from one of them (MemoryStream, StringWriter, a provider's
    // connection that does not override it) disposes synchronously either way.
    private static readonly ImmutableArray<string> SynchronousWrappers = ImmutableArray.Create(
        "System.IO.Stream",
        "System.IO.TextWriter",
        "System.Data.Common.DbConnection",
        "System.Data.Common.DbCommand",
        "System.Data.Common.DbDataReader",
        "System.Data.Common.DbTransaction",
        "System.Data.Common.DbBatch",
        "System.Threading.CancellationTokenRegistration");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.AGD0031_SyncUsingOfAsyncDisposable);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (KnownSymbols.From(start.Compilation) is not { IAsyncDisposable: { } asyncDisposable, IDisposable: { } disposable } symbols) return;
            var testCode = TestCode.For(start.Compilation, start.Options);
            if (testCode.SilencesEverywhere(SupportedDiagnostics)) return;

            var wrappers = SynchronousWrappers.Select(symbols.Lookup)
                .Where(t => t is not null).Cast<INamedTypeSymbol>().ToImmutableArray();
            var state = new CompilationState(symbols, asyncDisposable, disposable, wrappers);

            start.RegisterOperationAction(c => { if (!testCode.Silences(Descriptors.AGD0031_SyncUsingOfAsyncDisposable, c.Operation.Syntax.SyntaxTree)) state.AnalyzeUsing(c); }, OperationKind.Using);
            start.RegisterOperationAction(c => { if (!testCode.Silences(Descriptors.AGD0031_SyncUsingOfAsyncDisposable, c.Operation.Syntax.SyntaxTree)) state.AnalyzeUsingDeclaration(c); }, OperationKind.UsingDeclaration);
        });
    }

    /// <summary>The per-compilation state: the disposable types, the wrapper types and the option cache.</summary>
    private sealed class CompilationState
    {
        private readonly KnownSymbols symbols;
        private readonly INamedTypeSymbol asyncDisposable;
        private readonly INamedTypeSymbol disposable;
        private readonly ImmutableArray<INamedTypeSymbol> wrappers;
        private readonly OptionCache<ImmutableHashSet<string>> excludedTypes = new(static (options, tree) =>
            Options.GetList(options, tree, Options.AGD0031.SynchronousDisposeTypes).ToImmutableHashSet());

        public CompilationState(KnownSymbols symbols, INamedTypeSymbol asyncDisposable, INamedTypeSymbol disposable, ImmutableArray<INamedTypeSymbol> wrappers)
        {
            this.symbols = symbols;
            this.asyncDisposable = asyncDisposable;
            this.disposable = disposable;
            this.wrappers = wrappers;
        }

        public void AnalyzeUsing(OperationAnalysisContext context)
        {
            var usingOperation = (IUsingOperation)context.Operation;
            if (usingOperation.IsAsynchronous || usingOperation.Syntax is not UsingStatementSyntax statement) return;
            var types = usingOperation.Resources is IVariableDeclarationGroupOperation group
                ? group.Declarations.SelectMany(d => d.Declarators).Select(d => (ITypeSymbol?)d.Symbol.Type)
                : new[] { OperationFacts.StripConversions(usingOperation.Resources, implicitOnly: true).Type };
            Report(context, usingOperation, statement.UsingKeyword, types);
        }

        public void AnalyzeUsingDeclaration(OperationAnalysisContext context)
        {
            var declaration = (IUsingDeclarationOperation)context.Operation;
            if (declaration.IsAsynchronous || declaration.Syntax is not LocalDeclarationStatementSyntax statement) return;
            var types = declaration.DeclarationGroup.Declarations.SelectMany(d => d.Declarators).Select(d => d.Symbol.Type);
            Report(context, declaration, statement.UsingKeyword, types);
        }

        private void Report(OperationAnalysisContext context, IOperation operation, SyntaxToken usingKeyword, System.Collections.Generic.IEnumerable<ITypeSymbol?> types)
        {
            var type = types.FirstOrDefault(t => t is not null && HasAsynchronousDispose(t, operation.Syntax.SyntaxTree, context.Options));
            IMethodSymbol? sibling = null;
            if (type is null)
            {
                // using var scope = provider.CreateScope(); with provider.CreateAsyncScope() at hand.
                if (SingleFactoryCall(operation) is not { } factory || factory.SemanticModel is not { } model) return;
                sibling = AsyncDisposal.AsyncDisposableSibling(factory, model, symbols);
                if (sibling is null || !HasAsynchronousDispose(sibling.ReturnType, operation.Syntax.SyntaxTree, context.Options)) return;
                type = sibling.ReturnType;
            }

            if (!AsyncContext.IsAsyncContext(operation, context.ContainingSymbol, symbols)) return;
            if (!CanAwaitAt(operation.Syntax)) return;

            var properties = sibling is null
                ? ImmutableDictionary<string, string?>.Empty
                : ImmutableDictionary<string, string?>.Empty.Add(FactoryProperty, sibling.Name);
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.AGD0031_SyncUsingOfAsyncDisposable,
                usingKeyword.GetLocation(),
                properties,
                type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
        }

        /// <summary>The one resource of the using, when it is a call (<c>using var s = f.Create();</c>, <c>using (f.Create())</c>), declared with <c>var</c>.</summary>
        private static IInvocationOperation? SingleFactoryCall(IOperation operation)
        {
            IOperation? value = operation switch
            {
                IUsingOperation { Resources: IVariableDeclarationGroupOperation group } => SingleVarInitializer(group),
                IUsingOperation { Resources: { } resource } => resource,
                IUsingDeclarationOperation declaration => SingleVarInitializer(declaration.DeclarationGroup),
                _ => null,
            };
            return value is null ? null : OperationFacts.StripConversions(value) as IInvocationOperation;
        }

        // Only 'var': the sibling's result has another type than the declared one.
        private static IOperation? SingleVarInitializer(IVariableDeclarationGroupOperation group) =>
            group.Declarations.Length == 1 && group.Declarations[0].Declarators.Length == 1
            && group.Declarations[0].Syntax is Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclarationSyntax { Type.IsVar: true }
                ? group.Declarations[0].Declarators[0].Initializer?.Value
                : null;

        private bool HasAsynchronousDispose(ITypeSymbol type, SyntaxTree tree, AnalyzerOptions options)
        {
            if (type.TypeKind == TypeKind.Error) return false;
            var interfaces = type.TypeKind == TypeKind.Interface ? type.AllInterfaces.Add((INamedTypeSymbol)type) : type.AllInterfaces;
            if (!interfaces.Contains(disposable, SymbolEqualityComparer.Default)) return false;

            // Without IAsyncDisposable, 'await using' binds to a pattern DisposeAsync().
            if (!interfaces.Contains(asyncDisposable, SymbolEqualityComparer.Default) && AsyncDisposal.PatternDisposeAsync(type, symbols) is null) return false;

            // The DisposeAsync that the type actually runs: the most derived declaration.
            for (var current = type; current is not null; current = current.BaseType)
            {
                var declared = current.GetMembers().OfType<IMethodSymbol>().FirstOrDefault(m => !m.IsStatic && m.Parameters.Length == 0
                    && (m.Name == "DisposeAsync" || m.ExplicitInterfaceImplementations.Any(i => SymbolEqualityComparer.Default.Equals(i.ContainingType, asyncDisposable))));
                if (declared is null) continue;
                if (wrappers.Contains(current.OriginalDefinition, SymbolEqualityComparer.Default)) return false;
                break;
            }

            var excluded = excludedTypes.Get(options, tree);
            if (excluded.Count == 0) return true;
            for (var current = type; current is not null; current = current.BaseType)
            {
                var original = current.OriginalDefinition;
                if (excluded.Contains(original.ToDisplayString()) || excluded.Contains(MetadataName(original))) return false;
            }

            return true;
        }

        private static string MetadataName(ITypeSymbol type) =>
            type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." + type.MetadataName : type.MetadataName;

        // 'await' cannot go inside a lock or an unsafe block: nothing to suggest there.
        private static bool CanAwaitAt(SyntaxNode node)
        {
            for (var current = node.Parent; current is not null; current = current.Parent)
            {
                switch (current)
                {
                    case LockStatementSyntax or UnsafeStatementSyntax:
                        return false;
                    case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax:
                        return true;
                }
            }

            return true;
        }
    }
}
