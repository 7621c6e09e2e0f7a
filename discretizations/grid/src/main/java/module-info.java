/**
 * The tensor-grid discretization ({@code grid}) of the density model f(x) = ∫_Ω u(θ) σ(w·x + b) dθ:
 * node values of u on an N^k grid of the parameter box (or circle, periodic in the angle), trapezoid
 * quadrature and the finite-difference H¹_ω stiffness with natural boundary conditions.
 */
module org.varflow.discretization.grid {
  requires org.varflow.api;

  provides org.varflow.api.flow.Discretization with org.varflow.discretization.grid.GridDiscretization;
}
