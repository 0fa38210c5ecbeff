from __future__ import annotations

from django.urls import path

from storefront import images, views

urlpatterns = [
    path("", views.home, name="home"),
    path("products/", views.product_list, name="product_list"),
    path("products/<sku:sku>/", views.product_detail, name="product_detail"),
    path("product-images/<int:pk>/", images.product_image, name="product_image"),
    path("about/reviews/", views.about_reviews, name="about_reviews"),
]
