namespace AsyncGuard.Rules;

/// <summary>
/// Flags a cancellation token parameter of an async method that the method never reads
/// (AGD0024): not passed on, checked, registered, captured or assigned, so a cancel request
/// cannot reach the work. Signatures that others dictate (overrides, interface
/// implementations, virtual members) and stub bodies stay silent.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TokenNeverObservedAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.AGD0024_TokenNeverObserved);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (KnownSymbols.From(start.Compilation) is not { CancellationToken: { } } symbols) return;
            var testCode = TestCode.For(start.Compilation, start.Options);
            if (testCode.SilencesEverywhere(SupportedDiagnostics)) return;
            start.RegisterOperationBlockAction(block => { if (!testCode.Silences(Descriptors.AGD0024_TokenNeverObserved, block.OwningSymbol.Locations.FirstOrDefault()?.SourceTree)) AnalyzeBlock(block, symbols); });
        });
    }

    private static void AnalyzeBlock(OperationBlockAnalysisContext context, KnownSymbols symbols)
    {
        if (context.OwningSymbol is not IMethodSymbol { MethodKind: MethodKind.Ordinary } method) return;
        List<IParameterSymbol>? tokens = null;
        foreach (var parameter in method.Parameters)
        {
            if (symbols.IsCancellationTokenOrNullable(parameter.Type) && !IsDiscardName(parameter.Name)) (tokens ??= new()).Add(parameter);
        }

        if (tokens is null) return;
        if (!AsyncContext.IsAsyncFunction(method, symbols)) return;

        // One walk over the block (lambdas and local functions included), not a callback per
        // reference; it stops as soon as every token has been seen, which is usually early.
        var unused = tokens;
        foreach (var block in context.OperationBlocks)
        {
            foreach (var operation in block.Descendants())
            {
                if (operation is IParameterReferenceOperation reference)
                {
                    for (var i = unused.Count - 1; i >= 0; i--)
                    {
                        if (SymbolEqualityComparer.Default.Equals(unused[i], reference.Parameter)) unused.RemoveAt(i);
                    }

                    if (unused.Count == 0) return;
                }
            }
        }

        // Checked only now: most methods read their token, and these checks cost more than the walk.
        if (IsSignatureDictated(method)) return;
        if (context.OperationBlocks.Any(b => IsStubBody(b, symbols))) return;

        foreach (var token in unused)
        {
            if (token.Locations.FirstOrDefault() is not { IsInSource: true } location) continue;
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.AGD0024_TokenNeverObserved, location, method.Name, token.Name));
        }
    }

    /// <summary><c>_</c>, <c>__</c>: the author's way to say "unused on purpose".</summary>
    private static bool IsDiscardName(string name)
    {
        if (name.Length == 0) return false;
        foreach (var c in name)
        {
            if (c != '_') return false;
        }

        return true;
    }

    /// <summary>
    /// Methods whose parameter list is someone else's contract: overrides, interface
    /// implementations (explicit or implicit), virtual and abstract members, extern and
    /// bodiless partial methods.
    /// </summary>
    private static bool IsSignatureDictated(IMethodSymbol method)
    {
        if (method.IsOverride || method.IsVirtual || method.IsAbstract || method.IsExtern) return true;
        if (method.PartialImplementationPart is not null && method.PartialDefinitionPart is null) return true;
        if (!method.ExplicitInterfaceImplementations.IsEmpty) return true;
        if (method.IsStatic && method.ContainingType.TypeKind != TypeKind.Interface) return ImplementsStaticAbstract(method);

        var type = method.ContainingType;
        foreach (var @interface in type.AllInterfaces)
        {
            foreach (var member in @interface.GetMembers(method.Name))
            {
                if (member is IMethodSymbol && SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(member), method)) return true;
            }
        }

        return false;
    }

    private static bool ImplementsStaticAbstract(IMethodSymbol method)
    {
        var type = method.ContainingType;
        foreach (var @interface in type.AllInterfaces)
        {
            foreach (var member in @interface.GetMembers(method.Name))
            {
                if (member is IMethodSymbol { IsStatic: true } && SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(member), method)) return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A body with nothing to cancel: empty, only a <c>throw</c>, or only a return of a
    /// completed task (<see cref="TaskFacts.IsCompletedTask"/>), <c>default</c> or <c>null</c>.
    /// </summary>
    private static bool IsStubBody(IOperation block, KnownSymbols symbols)
    {
        if (block is IMethodBodyOperation body) block = (IOperation?)body.BlockBody ?? body.ExpressionBody!;
        if (block is not IBlockOperation { Operations: var statements }) return false;
        var meaningful = statements.Where(s => !(s.IsImplicit && s is IReturnOperation { ReturnedValue: null })).ToList();
        if (meaningful.Count == 0) return true;
        if (meaningful.Count != 1) return false;

        var statement = meaningful[0];
        if (statement is IExpressionStatementOperation { Operation: IThrowOperation }) return true;
        if (statement is IThrowOperation) return true;
        if (statement is not IReturnOperation { ReturnedValue: { } value }) return false;
        value = OperationFacts.StripConversions(value, implicitOnly: true);
        return value is IThrowOperation or IDefaultValueOperation or ILiteralOperation || TaskFacts.IsCompletedTask(value, symbols);
    }
}
